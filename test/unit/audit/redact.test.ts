import assert from 'node:assert/strict';
import { REDACTED as R, redactCommand, redactText } from '../../../src/core/audit/redact';

interface Case {
  /** What the shape is. */
  readonly name: string;
  readonly line: string;
  /** The line as logged. */
  readonly logged: string;
  /** The secrets that must not survive (each counted as one redaction). */
  readonly secrets: readonly string[];
}

const HEX64 = '0123456789abcdef'.repeat(4);

const SECRETS: readonly Case[] = [
  // AWS
  { name: 'AWS access key id in env', line: 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE aws s3 rb s3://b --force', logged: `AWS_ACCESS_KEY_ID=${R} aws s3 rb s3://b --force`, secrets: ['AKIAIOSFODNN7EXAMPLE'] },
  { name: 'AWS temporary key id anywhere', line: 'echo ASIAY34FZKBOKMUTVV7A', logged: `echo ${R}`, secrets: ['ASIAY34FZKBOKMUTVV7A'] },
  { name: 'AWS secret key exported', line: 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', logged: `export AWS_SECRET_ACCESS_KEY=${R}`, secrets: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'] },
  {
    name: 'AWS secret key given to aws configure set',
    line: 'aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY --profile prod',
    logged: `aws configure set aws_secret_access_key ${R} --profile prod`,
    secrets: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  },
  {
    name: 'AWS session token, double-quoted',
    line: 'AWS_SESSION_TOKEN="IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ" aws sts get-caller-identity',
    logged: `AWS_SESSION_TOKEN="${R}" aws sts get-caller-identity`,
    secrets: ['IQoJb3JpZ2luX2VjEJr'],
  },
  {
    name: 'S3 presigned URL: the credential (it holds the key id) and the signature',
    line: 'curl "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260124&X-Amz-Signature=abcdef0123456789"',
    logged: `curl "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${R}&X-Amz-Signature=${R}"`,
    secrets: ['AKIAIOSFODNN7EXAMPLE%2F20260124', 'abcdef0123456789'],
  },
  // GitHub, GitLab
  { name: 'GitHub token as URL user', line: 'git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git', logged: `git clone https://${R}@github.com/o/r.git`, secrets: ['ghp_abcdefghijklmnopqrstuvwxyz0123456789'] },
  { name: 'GitHub OAuth token in an Authorization header', line: "gh api -H 'Authorization: token gho_16C7e42F292c6912E7710c838347Ae178B4a' /user", logged: `gh api -H 'Authorization: token ${R}' /user`, secrets: ['gho_16C7e42F292c6912E7710c838347Ae178B4a'] },
  {
    name: 'GitHub fine-grained token',
    line: 'GH_TOKEN=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345 gh repo delete o/r --yes',
    logged: `GH_TOKEN=${R} gh repo delete o/r --yes`,
    secrets: ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
  },
  { name: 'x-access-token password in a git URL', line: 'git push https://x-access-token:v1.abcdef0123456789@github.com/o/r HEAD', logged: `git push https://x-access-token:${R}@github.com/o/r HEAD`, secrets: ['v1.abcdef0123456789'] },
  {
    name: 'GitLab PRIVATE-TOKEN header',
    line: 'curl --header "PRIVATE-TOKEN: glpat-abcdefghij0123456789" -X DELETE https://gitlab.com/api/v4/projects/1',
    logged: `curl --header "PRIVATE-TOKEN: ${R}" -X DELETE https://gitlab.com/api/v4/projects/1`,
    secrets: ['glpat-abcdefghij0123456789'],
  },
  // Slack, Stripe, Google, other SaaS tokens
  {
    name: 'Slack bot token in a form field',
    line: 'curl -d token=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx https://slack.com/api/chat.postMessage',
    logged: `curl -d token=${R} https://slack.com/api/chat.postMessage`,
    secrets: ['xoxb-123456789012'],
  },
  {
    name: 'Slack incoming webhook path',
    line: `curl -X POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX -d '{"text":"hi"}'`,
    logged: `curl -X POST https://hooks.slack.com/services/${R} -d '{"text":"hi"}'`,
    secrets: ['T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
  },
  { name: 'Stripe live secret key after --api-key', line: 'stripe customers delete cus_123 --api-key sk_live_4eC39HqLyjWDarjtT1zdp7dc', logged: `stripe customers delete cus_123 --api-key ${R}`, secrets: ['sk_live_4eC39HqLyjWDarjtT1zdp7dc'] },
  { name: 'Stripe restricted key as curl user', line: 'curl https://api.stripe.com/v1/charges -u rk_live_51H8abcdefghijklmnop:', logged: `curl https://api.stripe.com/v1/charges -u ${R}:`, secrets: ['rk_live_51H8abcdefghijklmnop'] },
  {
    name: 'Google API key in a query',
    line: 'curl "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"',
    logged: `curl "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${R}"`,
    secrets: ['AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe'],
  },
  {
    name: 'Google OAuth access token as Bearer',
    line: 'curl -X DELETE -H "Authorization: Bearer ya29.a0AfH6SMBx3Lz9abcdefghijklmnopqrstuvwxyz" https://storage.googleapis.com/storage/v1/b/x',
    logged: `curl -X DELETE -H "Authorization: Bearer ${R}" https://storage.googleapis.com/storage/v1/b/x`,
    secrets: ['ya29.a0AfH6SMBx3Lz9'],
  },
  { name: 'OpenAI project key in env', line: 'OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345 python run.py', logged: `OPENAI_API_KEY=${R} python run.py`, secrets: ['sk-proj-abcdefghijklmnopqrstuvwxyz012345'] },
  { name: 'Anthropic key anywhere', line: 'echo sk-ant-api03-abcdefghijklmnopqrstuvwxyz | pbcopy', logged: `echo ${R} | pbcopy`, secrets: ['sk-ant-api03-abcdefghijklmnopqrstuvwxyz'] },
  { name: 'npm token in an npm config key', line: 'npm config set //registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789', logged: `npm config set //registry.npmjs.org/:_authToken=${R}`, secrets: ['npm_abcdefghijklmnopqrstuvwxyz0123456789'] },
  { name: 'SendGrid key', line: 'sendgrid-cli --key SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', logged: `sendgrid-cli --key ${R}`, secrets: ['SG.abcdefghijklmnopqrstuv'] },
  { name: 'DigitalOcean token after -t', line: `doctl auth init -t dop_v1_${HEX64}`, logged: `doctl auth init -t ${R}`, secrets: [`dop_v1_${HEX64}`] },
  { name: 'Vault token in env', line: 'VAULT_TOKEN=hvs.CAESIJlU3abcdefghijklmnopqrstu vault kv delete secret/app', logged: `VAULT_TOKEN=${R} vault kv delete secret/app`, secrets: ['hvs.CAESIJlU3abcdefghijklmnopqrstu'] },
  {
    name: 'Terraform Cloud token in TF_TOKEN_ env',
    line: `TF_TOKEN_app_terraform_io=abcdefghijklmn.atlasv1.${HEX64} terraform destroy`,
    logged: `TF_TOKEN_app_terraform_io=${R} terraform destroy`,
    secrets: ['abcdefghijklmn.atlasv1.'],
  },
  {
    name: 'JWT as a positional key=value',
    line: 'vault write auth/jwt/login role=ci jwt=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dGVzdHNpZ25hdHVyZQ',
    logged: `vault write auth/jwt/login role=ci jwt=${R}`,
    secrets: ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0'],
  },
  // private keys
  {
    name: 'RSA private key in a heredoc',
    line: "cat > key.pem <<'EOF'\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----\nEOF",
    logged: `cat > key.pem <<'EOF'\n-----BEGIN RSA PRIVATE KEY-----${R}-----END RSA PRIVATE KEY-----\nEOF`,
    secrets: ['MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo'],
  },
  {
    name: 'OpenSSH private key cut off before its END line',
    line: "printf '%s' '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA",
    logged: `printf '%s' '-----BEGIN OPENSSH PRIVATE KEY-----${R}`,
    secrets: ['b3BlbnNzaC1rZXktdjEAAAAA'],
  },
  // passwords in URLs and connection strings
  { name: 'postgres URL password', line: "psql postgresql://admin:s3cr3t@db.prod:5432/app -c 'DROP TABLE t'", logged: `psql postgresql://admin:${R}@db.prod:5432/app -c 'DROP TABLE t'`, secrets: ['s3cr3t'] },
  { name: 'postgres URL password typed raw with @', line: "psql 'postgres://admin:p@ss@db.prod/app' -c 'DROP DATABASE app'", logged: `psql 'postgres://admin:${R}@db.prod/app' -c 'DROP DATABASE app'`, secrets: ['p@ss'] },
  { name: 'mysql URL password typed raw with / and #', line: 'DATABASE_URL=mysql://root:a/b#c@db:3306/shop rails db:drop', logged: `DATABASE_URL=mysql://root:${R}@db:3306/shop rails db:drop`, secrets: ['a/b#c'] },
  { name: 'SQLAlchemy driver URL password with ?', line: 'DATABASE_URL=postgresql+psycopg2://app:x?y@db/app alembic downgrade base', logged: `DATABASE_URL=postgresql+psycopg2://app:${R}@db/app alembic downgrade base`, secrets: ['x?y'] },
  { name: 'libpq key=value connection string', line: `psql "host=db.prod dbname=app password='a b' user=admin" -c 'DROP TABLE t'`, logged: `psql "host=db.prod dbname=app password='${R}' user=admin" -c 'DROP TABLE t'`, secrets: ['a b'] },
  { name: 'libpq connection string in --maintenance-db', line: `dropdb --maintenance-db='host=db password=hunter2' app`, logged: `dropdb --maintenance-db='host=db password=${R}' app`, secrets: ['hunter2'] },
  { name: 'mongodb+srv URL password, quoted', line: 'mongosh "mongodb+srv://root:p%40ss@cluster0.mongodb.net/db"', logged: `mongosh "mongodb+srv://root:${R}@cluster0.mongodb.net/db"`, secrets: ['p%40ss'] },
  { name: 'redis URL with an empty user', line: 'redis-cli -u redis://:hunter2@cache:6379 FLUSHALL', logged: `redis-cli -u redis://:${R}@cache:6379 FLUSHALL`, secrets: ['hunter2'] },
  {
    name: 'Azure storage connection string',
    line: "az storage blob delete-batch -s c --connection-string 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc123+/xyz==;EndpointSuffix=core.windows.net'",
    logged: `az storage blob delete-batch -s c --connection-string 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${R};EndpointSuffix=core.windows.net'`,
    secrets: ['abc123+/xyz=='],
  },
  {
    name: 'ADO.NET connection string (spaces in keys, trailing ;)',
    line: 'sqlpackage /Action:Publish /TargetConnectionString:"Server=db;User Id=sa;Password=Pa55w0rd;"',
    logged: `sqlpackage /Action:Publish /TargetConnectionString:"Server=db;User Id=sa;Password=${R};"`,
    secrets: ['Pa55w0rd'],
  },
  { name: 'ODBC Pwd in a connection string', line: 'isql -k "Driver={ODBC};Server=db;Uid=sa;Pwd=hunter2;"', logged: `isql -k "Driver={ODBC};Server=db;Uid=sa;Pwd=${R};"`, secrets: ['hunter2'] },
  { name: 'Azure SAS signature', line: 'azcopy rm "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=abc%2Bdef%3D"', logged: `azcopy rm "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=${R}"`, secrets: ['abc%2Bdef%3D'] },
  // password flags, generic and per tool
  { name: 'mysql -pSECRET', line: "mysql -u root -pS3cret shop -e 'DROP TABLE users'", logged: `mysql -u root -p${R} shop -e 'DROP TABLE users'`, secrets: ['S3cret'] },
  { name: 'mysqldump --password=', line: 'mysqldump --user=root --password=S3cret --all-databases', logged: `mysqldump --user=root --password=${R} --all-databases`, secrets: ['S3cret'] },
  { name: "mariadb -p'quoted with space'", line: "mariadb -uroot -p'my s3cret' -e 'DROP DATABASE x'", logged: `mariadb -uroot -p'${R}' -e 'DROP DATABASE x'`, secrets: ['my s3cret'] },
  { name: 'mysql behind sudo -u', line: "sudo -u mysql mysql -pS3cret -e 'DROP DATABASE x'", logged: `sudo -u mysql mysql -p${R} -e 'DROP DATABASE x'`, secrets: ['S3cret'] },
  // the engine's wrappers with their long options and leading operands
  { name: 'mysql behind sudo --user', line: 'sudo --user root mysql -psecret db', logged: `sudo --user root mysql -p${R} db`, secrets: ['secret'] },
  { name: 'mysql behind nice --adjustment', line: 'nice --adjustment 5 mysql -psecret db', logged: `nice --adjustment 5 mysql -p${R} db`, secrets: ['secret'] },
  { name: 'mysql behind chroot DIR', line: 'chroot /srv mysql -psecret db', logged: `chroot /srv mysql -p${R} db`, secrets: ['secret'] },
  { name: 'mysql behind flock FILE', line: 'flock /tmp/l mysql -psecret db', logged: `flock /tmp/l mysql -p${R} db`, secrets: ['secret'] },
  { name: 'mysql behind runuser -u USER', line: 'runuser -u deploy mysql -psecret db', logged: `runuser -u deploy mysql -p${R} db`, secrets: ['secret'] },
  { name: 'mysql behind watch (shell text to the engine, still mysql here)', line: 'watch -n 5 mysql -psecret db', logged: `watch -n 5 mysql -p${R} db`, secrets: ['secret'] },
  { name: 'mysql behind a runner (doppler run --)', line: 'doppler run -- mysql -psecret db', logged: `doppler run -- mysql -p${R} db`, secrets: ['secret'] },
  { name: 'mysqldump over line continuations', line: 'mysqldump \\\n  -u root \\\n  -pS3cret shop', logged: `mysqldump \\\n  -u root \\\n  -p${R} shop`, secrets: ['S3cret'] },
  { name: '--password VALUE (generic)', line: 'influx delete --bucket b --password hunter2', logged: `influx delete --bucket b --password ${R}`, secrets: ['hunter2'] },
  { name: '--password="with space"', line: 'wget --user=admin --password="open sesame" https://x/f', logged: `wget --user=admin --password="${R}" https://x/f`, secrets: ['open sesame'] },
  { name: '--token VALUE', line: 'vercel remove app --yes --token 1a2b3c4d5e', logged: `vercel remove app --yes --token ${R}`, secrets: ['1a2b3c4d5e'] },
  { name: '--client-secret=VALUE', line: 'az login --service-principal -u id --client-secret=Abc~123 --tenant t', logged: `az login --service-principal -u id --client-secret=${R} --tenant t`, secrets: ['Abc~123'] },
  { name: '--secret VALUE', line: 'some-cli --secret s3cr3tvalue run', logged: `some-cli --secret ${R} run`, secrets: ['s3cr3tvalue'] },
  { name: '--api-key VALUE', line: 'datadog-ci --api-key 0123456789abcdef upload', logged: `datadog-ci --api-key ${R} upload`, secrets: ['0123456789abcdef'] },
  { name: 'Go-style -token=VALUE', line: 'consul kv delete -token=abcd-1234 -recurse app', logged: `consul kv delete -token=${R} -recurse app`, secrets: ['abcd-1234'] },
  { name: '--admin-password quoted', line: "az vm create -n vm --admin-password 'P@ssw0rd!'", logged: `az vm create -n vm --admin-password '${R}'`, secrets: ['P@ssw0rd!'] },
  { name: 'az login -p', line: "az login -u me@example.com -p 'hunter 2'", logged: `az login -u me@example.com -p '${R}'`, secrets: ['hunter 2'] },
  {
    name: 'kubectl --docker-password',
    line: 'kubectl create secret docker-registry reg --docker-username=u --docker-password=hunter2',
    logged: `kubectl create secret docker-registry reg --docker-username=u --docker-password=${R}`,
    secrets: ['hunter2'],
  },
  {
    name: 'kubectl create secret --from-literal values',
    line: 'kubectl create secret generic db --from-literal=username=admin --from-literal=pw=hunter2',
    logged: `kubectl create secret generic db --from-literal=username=${R} --from-literal=pw=${R}`,
    secrets: ['admin', 'hunter2'],
  },
  { name: 'helm --set list', line: 'helm upgrade app chart --set auth.rootPassword=hunter2,auth.user=app', logged: `helm upgrade app chart --set auth.rootPassword=${R},auth.user=app`, secrets: ['hunter2'] },
  { name: 'terraform -var', line: "terraform apply -var 'db_password=hunter2' -auto-approve", logged: `terraform apply -var 'db_password=${R}' -auto-approve`, secrets: ['hunter2'] },
  { name: 'docker login -p', line: 'docker login -u me -p hunter2 ghcr.io', logged: `docker login -u me -p ${R} ghcr.io`, secrets: ['hunter2'] },
  { name: 'docker run -e PASSWORD= (the port stays)', line: 'docker run -e POSTGRES_PASSWORD=hunter2 -p 5432:5432 postgres', logged: `docker run -e POSTGRES_PASSWORD=${R} -p 5432:5432 postgres`, secrets: ['hunter2'] },
  { name: 'mongosh -p VALUE', line: "mongosh --host db -u admin -p hunter2 --eval 'db.dropDatabase()'", logged: `mongosh --host db -u admin -p ${R} --eval 'db.dropDatabase()'`, secrets: ['hunter2'] },
  { name: 'redis-cli -a (the port stays)', line: 'redis-cli -h cache -p 6379 -a hunter2 FLUSHALL', logged: `redis-cli -h cache -p 6379 -a ${R} FLUSHALL`, secrets: ['hunter2'] },
  { name: 'sshpass -p (ssh -p port stays)', line: "sshpass -p 'hunter 2' ssh -p 2222 root@host 'rm -rf /data'", logged: `sshpass -p '${R}' ssh -p 2222 root@host 'rm -rf /data'`, secrets: ['hunter 2'] },
  { name: 'sqlcmd -P', line: "sqlcmd -S db -U sa -P 'Pa55;word' -Q 'DROP DATABASE x'", logged: `sqlcmd -S db -U sa -P '${R}' -Q 'DROP DATABASE x'`, secrets: ['Pa55;word'] },
  { name: 'ldapdelete -w', line: 'ldapdelete -x -D cn=admin -w hunter2 cn=user', logged: `ldapdelete -x -D cn=admin -w ${R} cn=user`, secrets: ['hunter2'] },
  { name: 'supabase -p', line: 'supabase db push -p hunter2', logged: `supabase db push -p ${R}`, secrets: ['hunter2'] },
  { name: 'curl -u user:password', line: 'curl -u admin:hunter2 -X DELETE https://es:9200/index', logged: `curl -u admin:${R} -X DELETE https://es:9200/index`, secrets: ['hunter2'] },
  { name: 'httpie -a user:password', line: 'http -a admin:hunter2 DELETE https://api.example.com/x', logged: `http -a admin:${R} DELETE https://api.example.com/x`, secrets: ['hunter2'] },
  { name: 'openssl -passout pass:', line: 'openssl pkcs12 -export -in c.pem -passout pass:hunter2 -out c.p12', logged: `openssl pkcs12 -export -in c.pem -passout pass:${R} -out c.p12`, secrets: ['hunter2'] },
  { name: 'mount -o list', line: 'mount -t cifs //srv/share /mnt -o username=u,password=hunter2', logged: `mount -t cifs //srv/share /mnt -o username=u,password=${R}`, secrets: ['hunter2'] },
  // secret environment assignments
  { name: 'PGPASSWORD (psql -p port stays)', line: "PGPASSWORD=hunter2 psql -h db -p 5432 -c 'DROP DATABASE x'", logged: `PGPASSWORD=${R} psql -h db -p 5432 -c 'DROP DATABASE x'`, secrets: ['hunter2'] },
  { name: 'MYSQL_PWD', line: "MYSQL_PWD=hunter2 mysql -e 'DROP DATABASE x'", logged: `MYSQL_PWD=${R} mysql -e 'DROP DATABASE x'`, secrets: ['hunter2'] },
  { name: 'TF_VAR_ password', line: 'TF_VAR_db_password=hunter2 terraform destroy', logged: `TF_VAR_db_password=${R} terraform destroy`, secrets: ['hunter2'] },
  { name: 'env wrapper assignment', line: 'env DATABASE_PASSWORD=hunter2 rails db:drop', logged: `env DATABASE_PASSWORD=${R} rails db:drop`, secrets: ['hunter2'] },
  { name: 'camelCase secret name', line: 'pulumi config set dbPassword=hunter2', logged: `pulumi config set dbPassword=${R}`, secrets: ['hunter2'] },
  // headers
  { name: 'Authorization: Basic', line: 'curl -H "Authorization: Basic YWRtaW46aHVudGVyMg==" https://x', logged: `curl -H "Authorization: Basic ${R}" https://x`, secrets: ['YWRtaW46aHVudGVyMg=='] },
  { name: 'X-Api-Key header', line: "curl -H 'X-Api-Key: 0123456789abcdef' -X DELETE https://x", logged: `curl -H 'X-Api-Key: ${R}' -X DELETE https://x`, secrets: ['0123456789abcdef'] },
  { name: 'Cookie header', line: "curl -H 'Cookie: session=abc123' https://x", logged: `curl -H 'Cookie: ${R}' https://x`, secrets: ['session=abc123'] },
  {
    name: 'git http.extraHeader Authorization',
    line: 'git -c http.extraHeader="AUTHORIZATION: basic eC1hY2Nlc3M6dG9rZW4=" clone https://x/r',
    logged: `git -c http.extraHeader="AUTHORIZATION: basic ${R}" clone https://x/r`,
    secrets: ['eC1hY2Nlc3M6dG9rZW4='],
  },
  // JSON bodies
  { name: 'JSON body password', line: `curl -d '{"username":"a","password":"hunter2"}' https://x/login`, logged: `curl -d '{"username":"a","password":"${R}"}' https://x/login`, secrets: ['hunter2'] },
  { name: 'escaped JSON in double quotes', line: 'curl -d "{\\"api_key\\":\\"abc123\\"}" https://x', logged: `curl -d "{\\"api_key\\":\\"${R}\\"}" https://x`, secrets: ['abc123'] },
  // nesting and comments
  { name: 'bash -c with a quoted assignment', line: `bash -c "PGPASSWORD='a b' psql -c 'DROP TABLE t'"`, logged: `bash -c "PGPASSWORD='${R}' psql -c 'DROP TABLE t'"`, secrets: ['a b'] },
  { name: 'ssh remote command with mysql -p', line: `ssh prod "mysql -uroot -pS3cret -e 'DROP DATABASE shop'"`, logged: `ssh prod "mysql -uroot -p${R} -e 'DROP DATABASE shop'"`, secrets: ['S3cret'] },
  { name: 'mysql -p inside $(…)', line: `echo $(mysql -uroot -pS3cret -e 'select 1')`, logged: `echo $(mysql -uroot -p${R} -e 'select 1')`, secrets: ['S3cret'] },
  { name: 'secret in a comment', line: 'ls # token=abc123', logged: `ls # token=${R}`, secrets: ['abc123'] },
];

/** Lines that look close to a secret but hold none: they must come out unchanged. */
const NEAR_MISSES: readonly string[] = [
  'docker run -p 8080:80 nginx',
  'ssh -p 2222 root@host uptime',
  "psql -h db -p 5432 -U app -c 'select 1'",
  'redis-cli -p 6380 ping',
  'mkdir -p /tmp/x',
  'mysql -u root -p shop',
  'mysql --password shop',
  'docker login --password-stdin -u me ghcr.io',
  'docker build --secret id=npmrc,src=.npmrc .',
  'PWD=/tmp ls',
  'TOKENIZERS_PARALLELISM=false python train.py',
  'SSH_AUTH_SOCK=/tmp/agent.sock ssh host',
  'vault login -method=oidc --token-file /var/run/token',
  'ansible-playbook site.yml --ask-vault-pass -i inventory',
  'curl -H "Authorization: Bearer $TOKEN" https://x',
  'curl -H "Authorization: Bearer $(gcloud auth print-access-token)" https://x',
  `mysql -p"$DB_PASS" -e 'select 1'`,
  'export PGPASSWORD=${PGPASSWORD:-}',
  'PASSWORD=$(vault read -field=pw secret/db) rails db:drop',
  'gh api --token $(gh auth token) /user',
  'git clone git@github.com:o/r.git',
  'curl https://user@example.com/x',
  'grep -rn password src/',
  "kubectl get secret db -o jsonpath='{.data.password}'",
  'echo $SECRET_KEY',
  'terraform destroy -target=aws_db_instance.main',
  'git commit -m "rotate the token"',
  'echo risk-0123456789abcdefghijklmnop',
  'openssl enc -d -in f -pass env:PASSPHRASE',
  'curl -u admin https://x',
  'git log --author=me --since=yesterday',
];

describe('audit redaction', () => {
  it('keeps at least 40 secret shapes, each a named case below', () => assert.ok(SECRETS.length >= 40));

  // Each shape its own case: a regression names the shape it lets through.
  for (const c of SECRETS) {
    it(`masks only the secret part: ${c.name}`, () => {
      const out = redactCommand(c.line);
      assert.equal(out.text, c.logged);
      for (const secret of c.secrets) assert.ok(!out.text.includes(secret), `${secret} survived`);
      assert.equal(out.redactions, c.secrets.length, 'redaction count');
    });
    it(`is idempotent, a logged line redacts to itself: ${c.name}`, () => assert.equal(redactCommand(c.logged).text, c.logged));
  }

  for (const line of NEAR_MISSES) {
    it(`leaves a near miss alone: ${JSON.stringify(line)}`, () => assert.deepEqual(redactCommand(line), { text: line, redactions: 0 }));
  }

  it('applies program options only to their program', () => {
    // -p is a password for mysql, a port for docker: the same word, two answers.
    assert.equal(redactCommand('mysql -pS3cret').text, `mysql -p${R}`);
    assert.equal(redactCommand('docker -pS3cret').text, 'docker -pS3cret');
    // docker -p is a password only after `login`.
    assert.equal(redactCommand('docker login -p S3cret && docker run -p 80:80 x').text, `docker login -p ${R} && docker run -p 80:80 x`);
    // each simple command has its own program
    assert.equal(redactCommand('mysql -pA; psql -p 5432; sshpass -p B ssh h').text, `mysql -p${R}; psql -p 5432; sshpass -p ${R} ssh h`);
  });

  it('keeps quotes balanced around a masked value', () => {
    for (const line of [`mysql -p'a "b" c'`, `PASSWORD="it's" cmd`, `--token 'x'"y"`]) {
      const out = redactCommand(line).text;
      const quotes = (q: string): number => out.split(q).length - 1;
      assert.ok(out.includes(R), line);
      assert.equal(quotes("'") % 2 + (quotes('"') % 2), 0, `${line} → ${out}`);
    }
  });

  it('redacts free text: assignments, tokens and headers, not program options', () => {
    assert.deepEqual(redactText('production context: db.prod'), { text: 'production context: db.prod', redactions: 0 });
    assert.deepEqual(redactText('login failed for password=hunter2 (Bearer abcdefgh12345678)'), { text: `login failed for password=${R} (Bearer ${R})`, redactions: 2 });
    // without a command, `-p` means nothing in particular
    assert.equal(redactText('mysql -pS3cret').text, 'mysql -pS3cret');
    // an apostrophe in prose does not hide what follows it
    assert.equal(redactText("the agent's token=abc123 was used").text, `the agent's token=${R} was used`);
  });

  it('stays linear on long and hostile lines (a 1 MB heredoc, 100 000 repeated keys)', () => {
    const lines = {
      heredoc: "cat <<'EOF'\n" + 'line with token=abc and https://u:p@h/x\n'.repeat(25_000) + 'EOF',
      keys: 'password='.repeat(100_000),
      words: `mysql ${'-x '.repeat(100_000)}-pS3cret`,
      colons: 'x: '.repeat(100_000),
      nested: `'a b'x=1`.repeat(20_000),
      wrappers: `${'sudo -u x nice '.repeat(10_000)}mysql -pS3cret`,
      databaseUrls: 'postgres://u:p'.repeat(100_000),
    };
    for (const [name, line] of Object.entries(lines)) {
      const start = process.hrtime.bigint();
      const out = redactCommand(line);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      assert.ok(ms < 3000, `${name}: ${ms.toFixed(0)} ms for ${line.length} characters`);
      assert.ok(!out.text.includes('S3cret') && !out.text.includes('token=abc'), name);
    }
  });

});
