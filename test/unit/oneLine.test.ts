import assert from 'node:assert/strict';
import { oneLine } from '../../src/core/oneLine';

describe('a command on one line (banners, session labels)', () => {
  it('keeps a short single line as it is, without surrounding white space', () => {
    assert.equal(oneLine('  terraform destroy \n', 100), 'terraform destroy');
  });

  it('shows the first line of several with a mark that more follows', () => {
    assert.equal(oneLine('terraform destroy <<EOF\nyes\nEOF', 100), 'terraform destroy <<EOF …');
  });

  it('replaces control characters, which would drive the terminal', () => {
    assert.equal(oneLine('echo \x1b[2Jgone\x07\tx\x7f', 100), 'echo ?[2Jgone??x?');
  });

  it('cuts at the width with an ellipsis', () => {
    const cut = oneLine(`terraform destroy ${'-target=aws_s3_bucket.logs '.repeat(10)}`, 40);
    assert.equal(cut.length, 40);
    assert.equal(cut, 'terraform destroy -target=aws_s3_bucket…');
  });
});
