import assert from 'node:assert/strict';
import { check } from '../../helpers/engine';
import { packCases, pauses } from './packCases';

describe('filesystem pack', () => {
  describe('rm', () => {
    describe('pauses recursive deletes outside the working directory in every flag form', () => {
      packCases({
        pause: pauses(
          'filesystem.rm-recursive',
          ['-rf', '-fr', '-Rf', '-r -f', '-f -r', '-R', '-r', '--recursive --force', '--force --recursive', '-rfv', '-r --force'].map((flags) => `rm ${flags} /some/path`),
        ),
      });
    });
    describe('pauses the root, system directories and home directories, recursive or not', () => {
      packCases({
        pause: pauses(
          'filesystem.rm-critical-path',
          ['rm -rf /', 'rm -rf -- /', 'rm   -rf   /', 'rm -rf /etc', 'rm -rf /usr/', 'rm -rf //etc', 'rm -rf /var/log', 'rm -rf /home', 'rm -rf ~', 'rm -rf ~/', 'rm -rf $HOME', 'rm -rf "$HOME"', 'rm -rf ${HOME}/', 'rm -rf ~/.ssh', 'rm -rf /home/alice', 'rm -rf /Users/alice/Documents', 'rm -rf /*', 'rm -rf ~/*', 'rm -rf /tmp/../etc', 'rm -rf /usr/bin/../..', 'rm /etc', 'rm -r /boot', 'rm -rf {src,/etc}', 'rm -rf ~bob', 'rm --no-preserve-root -rf x'],
          { severity: 'critical' },
        ),
      });
    });
    describe('pauses deleting files inside system directories', () => {
      packCases({
        pause: pauses('filesystem.rm-system-file', ['rm -f /etc/passwd', 'rm /usr/bin/python3', 'sudo rm /boot/vmlinuz', 'unlink /etc/hosts']),
      });
    });
    describe('pauses targets it cannot see, and temp paths that escape', () => {
      packCases({
        pause: pauses('filesystem.rm-recursive', ['rm -rf $DIR', 'rm -rf "$BUILD_DIR/out"', 'rm -rf `pwd`/escape', 'rm -rf $(pwd)/x', 'rm -rf $TMPDIR/../etc', 'rm -rf ${TMPDIR}/../etc', 'rm -rf "$TMPDIR/../etc"', 'TMPDIR=/Users rm -rf $TMPDIR/x', 'TMPDIR= rm -rf $TMPDIR/x', 'rm -rf ${TMPDIR:-/}/x', 'find . -exec rm -rf {} \\;', 'find /tmp -execdir rm -rf {} +', 'xargs rm -rf < list.txt', 'find . -print0 | xargs -0 rm -rf']),
      });
    });
    describe('pauses the working directory itself, its parent and the home directory', () => {
      packCases({
        pause: pauses('filesystem.rm-recursive', ['rm -rf .', 'rm -rf ./', 'rm -rf *', 'rm -rf ./*', 'rm -rf .*', 'rm -rf ..', 'rm -rf ../other', 'rm -rf ~/projects', 'rm -rf ~someone/escape', 'rm -rf build /some/path']),
      });
    });
    describe('pauses a relative delete when the working directory is itself critical', () => {
      packCases({
        pause: [
          { line: 'rm -rf build', rule: 'filesystem.rm-recursive', context: { cwd: '/', reader: { readFile: () => undefined } }, where: 'cwd /' },
          { line: 'rm -rf build', rule: 'filesystem.rm-recursive', context: { cwd: '/home/alice', reader: { readFile: () => undefined } }, where: 'cwd /home/alice' },
        ],
      });
    });
    describe('pauses deleting a repository’s .git directory even inside the project', () => {
      packCases({
        pause: pauses('filesystem.rm-git-directory', ['rm -rf .git', 'rm -rf ./.git/', 'rm -r vendor/lib/.git']),
        allow: ['rm -rf .github', 'rm .gitignore', 'rm -rf .git-cache'],
      });
    });
    describe('sees rm through wrappers, shells and interpreters', () => {
      packCases({
        pause: pauses('filesystem.rm-critical-path', ['sudo rm -rf /', '/bin/rm -rf /etc', 'busybox rm -rf /', 'env rm -rf /home/user', 'command rm -rf /home', 'nice -n 19 rm -rf /home', 'bash -c "rm -rf /"', "sh -c 'rm -rf /home/user'", 'eval "rm -rf /"', 'echo $(rm -rf /home/user)', 'echo `rm -rf /home`', "python -c \"import os; os.system('rm -rf /')\"", 'bash <<< "rm -rf /"', 'pwd && rm -rf /home', 'rm -rf / || echo failed', 'rm -rf /home &', 'rm -rf "/home/user"']),
      });
    });
    describe('allows temp paths, paths inside the project, plain file deletes and help', () => {
      packCases({
        allow: ['rm -rf /tmp/build', 'rm -rf /tmp/*', 'rm -rf /tmp/foo/', 'rm -rf /tmp', 'rm -rf /var/tmp/cache', 'rm -rf /tmp/foo..bar', 'rm -rf $TMPDIR/build', 'rm -rf ${TMPDIR}/build', 'rm -rf "$TMPDIR/build"', 'rm -rf ${TMPDIR:-/tmp}/build', 'rm -rf $TMPDIR', 'rm -r -f /tmp/test', 'rm -rf build', 'rm -rf ./dist', 'rm -rf node_modules src/gen', 'rm -rf build/*', 'rm -rf ./subdir 2>/dev/null', 'rm file.txt', 'rm -f file1 file2', 'rm -f /some/path', 'rm -i file.txt', 'rm -- -rf', 'echo ok | xargs rm -- -rf', 'parallel rm -rf {} ::: build dist', "rm -rf '~'", 'rm --help', 'rm --version', 'find . -name "*.txt" -exec rm {} \\;'],
      });
    });
    describe('treats quoted and echoed text as data', () => {
      packCases({
        allow: ['echo "rm -rf /"', 'git commit -m "fix rm -rf detection"', 'cat <<EOF\nrm -rf /\nEOF', 'grep -n "rm -rf /" notes.md'],
      });
    });
  });

  describe('find', () => {
    describe('pauses find -delete unless it starts in a temp path', () => {
      packCases({
        pause: pauses('filesystem.find-delete', ['find . -delete', 'find / -delete', 'find . -name "*.pyc" -delete', 'sudo find /var -type f -mtime +7 -delete', 'busybox find . -name x -delete', 'find -L . -type d -empty -delete', "bash -c 'find ~ -delete'", 'find / -exec rm {} \\;']),
      });
    });
    describe('allows find without a delete action', () => {
      packCases({
        allow: ['find . -name "*.pyc" -print', 'find . -name -delete -print', 'find . -exec echo -delete \\; -print', "find . -name 'my-delete-script' -print", 'find /tmp/cache -delete', 'find . -type f -exec cat {} +'],
      });
    });
  });

  describe('devices', () => {
    describe('pauses dd, redirects, cp and tee onto disks', () => {
      packCases({
        pause: [
          ...pauses('filesystem.dd-to-device', ['dd if=image.img of=/dev/sda', 'sudo dd of=/dev/sda if=image.img bs=4M', 'dd if=/dev/zero of=/dev/nvme0n1', 'dd if=x of=/dev/mmcblk0p2 status=progress', 'dd if=x of=/dev/disk2'], { severity: 'critical' }),
          ...pauses('filesystem.write-to-device', ['cat image.img > /dev/sda', 'echo x >> /dev/nvme0n1', 'cp disk.img /dev/sdb', 'pv disk.img | sudo tee /dev/sdb']),
        ],
      });
    });
    describe('allows reading disks and writing pseudo-devices', () => {
      packCases({
        allow: ['dd if=/dev/sda of=backup.img', 'dd if=file of=output.txt', 'dd if=/dev/zero of=/dev/null bs=1M count=10', 'echo hi > /dev/null', 'echo err > /dev/stderr', 'cmd 2>/dev/null', 'cp a.txt b.txt'],
      });
    });
    describe('pauses formatting, partitioning and wiping', () => {
      packCases({
        pause: [
          ...pauses('filesystem.mkfs', ['mkfs.ext4 /dev/sda1', 'mkfs -t ext4 /dev/sda', 'sudo mkfs.xfs -f /dev/nvme0n1p1', 'mkfs.vfat -n LABEL /dev/sdb1', 'mkswap /dev/sdb2', 'mkfs.ext4 $DEV']),
          ...pauses('filesystem.partition-table', ['fdisk /dev/sda', 'sudo gdisk /dev/nvme0n1', 'cfdisk /dev/sdb']),
          ...pauses('filesystem.sfdisk', ['sfdisk /dev/sda < table.txt', 'sfdisk --delete /dev/sda', 'sfdisk -N 1 /dev/sda', 'sfdisk -f /dev/sda']),
          ...pauses('filesystem.parted', ['parted /dev/sda mklabel gpt', 'parted -s /dev/sda rm 1', 'parted -a optimal /dev/sda mkpart primary ext4 0% 100%', 'parted /dev/sda']),
          ...pauses('filesystem.sgdisk', ['sgdisk --zap-all /dev/sda']),
          ...pauses('filesystem.wipefs', ['wipefs -a /dev/sdb']),
          ...pauses('filesystem.blockdev-modify', ['blockdev --setro /dev/sda']),
          ...pauses('filesystem.cryptsetup', ['cryptsetup luksFormat /dev/sda1', 'cryptsetup --type luks2 luksFormat /dev/sdb', 'cryptsetup luksKillSlot /dev/sda1 0', 'cryptsetup erase /dev/sda1']),
          ...pauses('filesystem.lvm-remove', ['lvremove -f /dev/vg0/lv1', 'vgremove vg0', 'pvremove -ff /dev/sda1', 'lvm lvremove vg/lv']),
        ],
      });
    });
    describe('allows the read-only forms of disk tools and work on image files', () => {
      packCases({
        allow: ['fdisk -l', 'fdisk -l /dev/sda', 'fdisk /tmp/test.img', 'gdisk -l /dev/sda', 'sfdisk -d /dev/sda', 'sfdisk -l /dev/sda', 'parted -l', 'parted /dev/sda print', 'parted /dev/sda unit s print free', 'parted /tmp/test.img', 'mkfs /tmp/test.img', 'mkfs.ext4 disk.img', 'mkfs.ext4 -n /dev/sda1', 'wipefs /dev/sda', 'wipefs -n -a /dev/sda', 'sgdisk -p /dev/sda', 'blockdev --getro /dev/sda', 'cryptsetup luksDump /dev/sda1', 'lvm lvs', 'lvremove --help', 'lsblk'],
      });
    });
  });

  describe('other file operations', () => {
    describe('pauses moving onto /dev/null and moving system or home directories', () => {
      packCases({
        pause: [
          ...pauses('filesystem.move-to-dev-null', ['mv Cargo.toml /dev/null', 'mv -f file /dev/null', 'sudo mv ./ /dev/null', 'mv file1 /dev/null file2']),
          ...pauses('filesystem.move-critical-path', ['mv /etc /etc.old', 'mv ~ /tmp/home', 'mv ~/.ssh /tmp/x']),
        ],
        allow: ['mv old.txt new.txt', 'mv /dev/null', 'mv .'],
      });
    });
    describe('pauses shredding, truncating to zero and rsync --delete', () => {
      packCases({
        pause: [
          ...pauses('filesystem.shred', ['shred secret.txt', 'shred -vfz -n 10 secret.txt', 'srm -r dir', 'shred /dev/sda']),
          ...pauses('filesystem.truncate', ['truncate -s 0 file.txt', 'truncate -s0 file.txt', 'truncate --size=0 app.log', 'truncate -s -1M file']),
          ...pauses('filesystem.rsync-delete', ['rsync -avz --delete /src/ /dest/', 'rsync --delete -az src/ host:/srv/', 'rsync -a --delete-after a/ b/']),
        ],
        allow: ['truncate -s 1G disk.img', 'truncate -s +1M f', 'rsync -a /src/ /dest/', 'rsync -avz --delete --dry-run /src/ /dest/', 'rsync -n --delete a/ b/', 'rsync -avzn --delete a/ b/', 'shred --help'],
      });
    });
    describe('pauses recursive ownership and permission changes outside the project', () => {
      packCases({
        pause: [
          ...pauses('filesystem.permissions-recursive', ['chown -R root:root /', 'chown -R user:group *', 'chown -R user:group .', 'chown --recursive user /', 'chmod -R 777 /var/www', 'chgrp -R staff ..', 'chmod -R 755 ~']),
          ...pauses('filesystem.permissions-critical-path', ['chmod 777 /etc', 'chown alice /', 'chmod -R 000 /usr']),
        ],
        allow: ['chown user:group file.txt', 'chmod -R 755 ./scripts', 'chmod +x build.sh', 'chown -R $USER build', 'chmod 600 ~/.ssh/id_rsa', 'chmod -R u+w /tmp/work'],
      });
    });
    describe('pauses writes to system files and ~/.ssh through redirects and tee', () => {
      packCases({
        pause: [
          ...pauses('filesystem.write-system-file', ['echo "x" > /etc/passwd', 'cat hosts >> /etc/hosts', 'echo b > /proc/sysrq-trigger', 'echo 1 > /proc/sys/net/ipv4/ip_forward', 'echo key >> ~/.ssh/authorized_keys']),
          ...pauses('filesystem.tee-system-file', ['echo "127.0.0.1 x" | sudo tee -a /etc/hosts']),
        ],
        allow: ['echo test > file.txt', 'cat a > Cargo.toml', 'echo x | tee out.log', 'cat /etc/passwd', 'restore -tf backup.dump'],
      });
    });
    describe('pauses mounting devices and remounts', () => {
      packCases({
        pause: pauses('filesystem.mount-device', ['mount /dev/sda1 /mnt', 'sudo mount -t ext4 /dev/nvme0n1p1 /data', 'mount -o remount,rw /', 'mount -o noatime,remount,ro /dev/sda1']),
        allow: ['mount', 'mount -l', 'mount | grep sda', 'mount -t tmpfs tmpfs /tmp/x', 'mount --bind src /tmp/x', 'findmnt'],
      });
    });
    describe('pauses restoring a dump over the working directory', () => {
      packCases({
        pause: pauses('filesystem.restore-overwrites', ['restore -rf /backup.dump']),
      });
    });
  });

  it('produces a finding with text for the reviewer', async () => {
    const v = await check('rm -rf /');
    const f = v.findings.find((x) => x.ruleId === 'filesystem.rm-critical-path');
    assert.ok(f && f.why.length > 40 && f.saferAlternative.length > 20);
  });

  describe('pauses a copy, move, install, link or dd over a system file or a key folder; leaves the admin\'s /usr/local, backups and project files alone', () => {
    packCases({
      pause: pauses('filesystem.copy-over-system-file', [
        'sudo mv daemon.json.new /etc/docker/daemon.json',
        'sudo cp x /etc/passwd',
        'sudo install -m 644 x /etc/sudoers',
        'sudo install -m 644 -t /etc/systemd/system app.service',
        'sudo ln -sf /tmp/x /etc/resolv.conf',
        'sudo dd if=x of=/etc/fstab',
        'cp id_rsa.pub ~/.ssh/authorized_keys',
        'cp secring.gpg $HOME/.gnupg/secring.gpg',
        'sudo mv vmlinuz /boot/vmlinuz',
        'cp sudoers /etc',
        'cp passwd -t /etc',
        'cp -t/etc passwd',
        'cp --target-directory=/etc x',
        'cp x ~/.ssh',
      ]),
      allow: ['sudo mv kubectl /usr/local/bin/', 'cp x /usr/local', 'sudo install -m 0755 terraform /usr/local/bin/terraform', 'sudo install -d /etc/apt/keyrings', 'cp a.txt b.txt', 'sudo cp -r /etc/nginx ./backup', 'ln -s ../lib lib', 'dd if=/dev/zero of=disk.img bs=1M count=10', 'mv --help /etc/x'],
    });
  });
});
