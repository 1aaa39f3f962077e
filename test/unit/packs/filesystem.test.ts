import assert from 'node:assert/strict';
import { check, expectAllow, expectPause } from '../../helpers/engine';

async function expectSeverity(line: string, ruleId: string, severity: string): Promise<void> {
  const v = await expectPause(line, ruleId);
  assert.equal(v.severity, severity, `${line} should be ${severity}`);
}

describe('filesystem pack', () => {
  describe('rm', () => {
    it('pauses recursive deletes outside the working directory in every flag form', async () => {
      for (const flags of ['-rf', '-fr', '-Rf', '-r -f', '-f -r', '-R', '-r', '--recursive --force', '--force --recursive', '-rfv', '-r --force']) {
        await expectPause(`rm ${flags} /some/path`, 'filesystem.rm-recursive');
      }
    });
    it('pauses the root, system directories and home directories, recursive or not', async () => {
      for (const line of ['rm -rf /', 'rm -rf -- /', 'rm   -rf   /', 'rm -rf /etc', 'rm -rf /usr/', 'rm -rf //etc', 'rm -rf /var/log', 'rm -rf /home', 'rm -rf ~', 'rm -rf ~/', 'rm -rf $HOME', 'rm -rf "$HOME"', 'rm -rf ${HOME}/', 'rm -rf ~/.ssh', 'rm -rf /home/alice', 'rm -rf /Users/alice/Documents', 'rm -rf /*', 'rm -rf ~/*', 'rm -rf /tmp/../etc', 'rm -rf /usr/bin/../..', 'rm /etc', 'rm -r /boot', 'rm -rf {src,/etc}', 'rm -rf ~bob', 'rm --no-preserve-root -rf x']) {
        await expectSeverity(line, 'filesystem.rm-critical-path', 'critical');
      }
    });
    it('pauses deleting files inside system directories', async () => {
      for (const line of ['rm -f /etc/passwd', 'rm /usr/bin/python3', 'sudo rm /boot/vmlinuz', 'unlink /etc/hosts']) {
        await expectPause(line, 'filesystem.rm-system-file');
      }
    });
    it('pauses targets it cannot see, and temp paths that escape', async () => {
      for (const line of ['rm -rf $DIR', 'rm -rf "$BUILD_DIR/out"', 'rm -rf `pwd`/escape', 'rm -rf $(pwd)/x', 'rm -rf $TMPDIR/../etc', 'rm -rf ${TMPDIR}/../etc', 'rm -rf "$TMPDIR/../etc"', 'TMPDIR=/Users rm -rf $TMPDIR/x', 'TMPDIR= rm -rf $TMPDIR/x', 'rm -rf ${TMPDIR:-/}/x', 'find . -exec rm -rf {} \\;', 'find /tmp -execdir rm -rf {} +', 'xargs rm -rf < list.txt', 'find . -print0 | xargs -0 rm -rf']) {
        await expectPause(line, 'filesystem.rm-recursive');
      }
    });
    it('pauses the working directory itself, its parent and the home directory', async () => {
      for (const line of ['rm -rf .', 'rm -rf ./', 'rm -rf *', 'rm -rf ./*', 'rm -rf .*', 'rm -rf ..', 'rm -rf ../other', 'rm -rf ~/projects', 'rm -rf ~someone/escape', 'rm -rf build /some/path']) {
        await expectPause(line, 'filesystem.rm-recursive');
      }
    });
    it('pauses a relative delete when the working directory is itself critical', async () => {
      await expectPause('rm -rf build', 'filesystem.rm-recursive', { cwd: '/', reader: { readFile: () => undefined } });
      await expectPause('rm -rf build', 'filesystem.rm-recursive', { cwd: '/home/alice', reader: { readFile: () => undefined } });
    });
    it('pauses deleting a repository’s .git directory even inside the project', async () => {
      for (const line of ['rm -rf .git', 'rm -rf ./.git/', 'rm -r vendor/lib/.git']) await expectPause(line, 'filesystem.rm-git-directory');
      for (const line of ['rm -rf .github', 'rm .gitignore', 'rm -rf .git-cache']) await expectAllow(line);
    });
    it('sees rm through wrappers, shells and interpreters', async () => {
      for (const line of ['sudo rm -rf /', '/bin/rm -rf /etc', 'busybox rm -rf /', 'env rm -rf /home/user', 'command rm -rf /home', 'nice -n 19 rm -rf /home', 'bash -c "rm -rf /"', "sh -c 'rm -rf /home/user'", 'eval "rm -rf /"', 'echo $(rm -rf /home/user)', 'echo `rm -rf /home`', "python -c \"import os; os.system('rm -rf /')\"", 'bash <<< "rm -rf /"', 'pwd && rm -rf /home', 'rm -rf / || echo failed', 'rm -rf /home &', 'rm -rf "/home/user"']) {
        await expectPause(line, 'filesystem.rm-critical-path');
      }
    });
    it('allows temp paths, paths inside the project, plain file deletes and help', async () => {
      for (const line of ['rm -rf /tmp/build', 'rm -rf /tmp/*', 'rm -rf /tmp/foo/', 'rm -rf /tmp', 'rm -rf /var/tmp/cache', 'rm -rf /tmp/foo..bar', 'rm -rf $TMPDIR/build', 'rm -rf ${TMPDIR}/build', 'rm -rf "$TMPDIR/build"', 'rm -rf ${TMPDIR:-/tmp}/build', 'rm -rf $TMPDIR', 'rm -r -f /tmp/test', 'rm -rf build', 'rm -rf ./dist', 'rm -rf node_modules src/gen', 'rm -rf build/*', 'rm -rf ./subdir 2>/dev/null', 'rm file.txt', 'rm -f file1 file2', 'rm -f /some/path', 'rm -i file.txt', 'rm -- -rf', 'echo ok | xargs rm -- -rf', 'parallel rm -rf {} ::: build dist', "rm -rf '~'", 'rm --help', 'rm --version', 'find . -name "*.txt" -exec rm {} \\;']) {
        await expectAllow(line);
      }
    });
    it('treats quoted and echoed text as data', async () => {
      for (const line of ['echo "rm -rf /"', 'git commit -m "fix rm -rf detection"', 'cat <<EOF\nrm -rf /\nEOF', 'grep -n "rm -rf /" notes.md']) {
        await expectAllow(line);
      }
    });
  });

  describe('find', () => {
    it('pauses find -delete unless it starts in a temp path', async () => {
      for (const line of ['find . -delete', 'find / -delete', 'find . -name "*.pyc" -delete', 'sudo find /var -type f -mtime +7 -delete', 'busybox find . -name x -delete', 'find -L . -type d -empty -delete', "bash -c 'find ~ -delete'"]) {
        await expectPause(line, 'filesystem.find-delete');
      }
      await expectPause('find / -exec rm {} \\;', 'filesystem.find-delete');
    });
    it('allows find without a delete action', async () => {
      for (const line of ['find . -name "*.pyc" -print', 'find . -name -delete -print', 'find . -exec echo -delete \\; -print', "find . -name 'my-delete-script' -print", 'find /tmp/cache -delete', 'find . -type f -exec cat {} +']) {
        await expectAllow(line);
      }
    });
  });

  describe('devices', () => {
    it('pauses dd, redirects, cp and tee onto disks', async () => {
      for (const line of ['dd if=image.img of=/dev/sda', 'sudo dd of=/dev/sda if=image.img bs=4M', 'dd if=/dev/zero of=/dev/nvme0n1', 'dd if=x of=/dev/mmcblk0p2 status=progress', 'dd if=x of=/dev/disk2']) {
        await expectSeverity(line, 'filesystem.dd-to-device', 'critical');
      }
      for (const line of ['cat image.img > /dev/sda', 'echo x >> /dev/nvme0n1', 'cp disk.img /dev/sdb', 'pv disk.img | sudo tee /dev/sdb']) {
        await expectPause(line, 'filesystem.write-to-device');
      }
    });
    it('allows reading disks and writing pseudo-devices', async () => {
      for (const line of ['dd if=/dev/sda of=backup.img', 'dd if=file of=output.txt', 'dd if=/dev/zero of=/dev/null bs=1M count=10', 'echo hi > /dev/null', 'echo err > /dev/stderr', 'cmd 2>/dev/null', 'cp a.txt b.txt']) {
        await expectAllow(line);
      }
    });
    it('pauses formatting, partitioning and wiping', async () => {
      for (const line of ['mkfs.ext4 /dev/sda1', 'mkfs -t ext4 /dev/sda', 'sudo mkfs.xfs -f /dev/nvme0n1p1', 'mkfs.vfat -n LABEL /dev/sdb1', 'mkswap /dev/sdb2', 'mkfs.ext4 $DEV']) {
        await expectPause(line, 'filesystem.mkfs');
      }
      for (const line of ['fdisk /dev/sda', 'sudo gdisk /dev/nvme0n1', 'cfdisk /dev/sdb']) await expectPause(line, 'filesystem.partition-table');
      for (const line of ['sfdisk /dev/sda < table.txt', 'sfdisk --delete /dev/sda', 'sfdisk -N 1 /dev/sda', 'sfdisk -f /dev/sda']) await expectPause(line, 'filesystem.sfdisk');
      for (const line of ['parted /dev/sda mklabel gpt', 'parted -s /dev/sda rm 1', 'parted -a optimal /dev/sda mkpart primary ext4 0% 100%', 'parted /dev/sda']) await expectPause(line, 'filesystem.parted');
      await expectPause('sgdisk --zap-all /dev/sda', 'filesystem.sgdisk');
      await expectPause('wipefs -a /dev/sdb', 'filesystem.wipefs');
      await expectPause('blockdev --setro /dev/sda', 'filesystem.blockdev-modify');
      for (const line of ['cryptsetup luksFormat /dev/sda1', 'cryptsetup --type luks2 luksFormat /dev/sdb', 'cryptsetup luksKillSlot /dev/sda1 0', 'cryptsetup erase /dev/sda1']) await expectPause(line, 'filesystem.cryptsetup');
      for (const line of ['lvremove -f /dev/vg0/lv1', 'vgremove vg0', 'pvremove -ff /dev/sda1', 'lvm lvremove vg/lv']) await expectPause(line, 'filesystem.lvm-remove');
    });
    it('allows the read-only forms of disk tools and work on image files', async () => {
      for (const line of ['fdisk -l', 'fdisk -l /dev/sda', 'fdisk /tmp/test.img', 'gdisk -l /dev/sda', 'sfdisk -d /dev/sda', 'sfdisk -l /dev/sda', 'parted -l', 'parted /dev/sda print', 'parted /dev/sda unit s print free', 'parted /tmp/test.img', 'mkfs /tmp/test.img', 'mkfs.ext4 disk.img', 'mkfs.ext4 -n /dev/sda1', 'wipefs /dev/sda', 'wipefs -n -a /dev/sda', 'sgdisk -p /dev/sda', 'blockdev --getro /dev/sda', 'cryptsetup luksDump /dev/sda1', 'lvm lvs', 'lvremove --help', 'lsblk']) {
        await expectAllow(line);
      }
    });
  });

  describe('other file operations', () => {
    it('pauses moving onto /dev/null and moving system or home directories', async () => {
      for (const line of ['mv Cargo.toml /dev/null', 'mv -f file /dev/null', 'sudo mv ./ /dev/null', 'mv file1 /dev/null file2']) await expectPause(line, 'filesystem.move-to-dev-null');
      for (const line of ['mv /etc /etc.old', 'mv ~ /tmp/home', 'mv ~/.ssh /tmp/x']) await expectPause(line, 'filesystem.move-critical-path');
      for (const line of ['mv old.txt new.txt', 'mv /dev/null', 'mv .']) await expectAllow(line);
    });
    it('pauses shredding, truncating to zero and rsync --delete', async () => {
      for (const line of ['shred secret.txt', 'shred -vfz -n 10 secret.txt', 'srm -r dir', 'shred /dev/sda']) await expectPause(line, 'filesystem.shred');
      for (const line of ['truncate -s 0 file.txt', 'truncate -s0 file.txt', 'truncate --size=0 app.log', 'truncate -s -1M file']) await expectPause(line, 'filesystem.truncate');
      for (const line of ['rsync -avz --delete /src/ /dest/', 'rsync --delete -az src/ host:/srv/', 'rsync -a --delete-after a/ b/']) await expectPause(line, 'filesystem.rsync-delete');
      for (const line of ['truncate -s 1G disk.img', 'truncate -s +1M f', 'rsync -a /src/ /dest/', 'rsync -avz --delete --dry-run /src/ /dest/', 'rsync -n --delete a/ b/', 'rsync -avzn --delete a/ b/', 'shred --help']) await expectAllow(line);
    });
    it('pauses recursive ownership and permission changes outside the project', async () => {
      for (const line of ['chown -R root:root /', 'chown -R user:group *', 'chown -R user:group .', 'chown --recursive user /', 'chmod -R 777 /var/www', 'chgrp -R staff ..', 'chmod -R 755 ~']) {
        await expectPause(line, 'filesystem.permissions-recursive');
      }
      for (const line of ['chmod 777 /etc', 'chown alice /', 'chmod -R 000 /usr']) await expectPause(line, 'filesystem.permissions-critical-path');
      for (const line of ['chown user:group file.txt', 'chmod -R 755 ./scripts', 'chmod +x build.sh', 'chown -R $USER build', 'chmod 600 ~/.ssh/id_rsa', 'chmod -R u+w /tmp/work']) await expectAllow(line);
    });
    it('pauses writes to system files and ~/.ssh through redirects and tee', async () => {
      for (const line of ['echo "x" > /etc/passwd', 'cat hosts >> /etc/hosts', 'echo b > /proc/sysrq-trigger', 'echo 1 > /proc/sys/net/ipv4/ip_forward', 'echo key >> ~/.ssh/authorized_keys']) {
        await expectPause(line, 'filesystem.write-system-file');
      }
      await expectPause('echo "127.0.0.1 x" | sudo tee -a /etc/hosts', 'filesystem.tee-system-file');
      for (const line of ['echo test > file.txt', 'cat a > Cargo.toml', 'echo x | tee out.log', 'cat /etc/passwd', 'restore -tf backup.dump']) await expectAllow(line);
    });
    it('pauses mounting devices and remounts', async () => {
      for (const line of ['mount /dev/sda1 /mnt', 'sudo mount -t ext4 /dev/nvme0n1p1 /data', 'mount -o remount,rw /', 'mount -o noatime,remount,ro /dev/sda1']) await expectPause(line, 'filesystem.mount-device');
      for (const line of ['mount', 'mount -l', 'mount | grep sda', 'mount -t tmpfs tmpfs /tmp/x', 'mount --bind src /tmp/x', 'findmnt']) await expectAllow(line);
    });
    it('pauses restoring a dump over the working directory', async () => {
      await expectPause('restore -rf /backup.dump', 'filesystem.restore-overwrites');
    });
  });

  it('produces a finding with text for the reviewer', async () => {
    const v = await check('rm -rf /');
    const f = v.findings.find((x) => x.ruleId === 'filesystem.rm-critical-path');
    assert.ok(f && f.why.length > 40 && f.saferAlternative.length > 20);
  });
});
