import { expectAllow, expectPause } from '../../helpers/engine';

async function expectSeverity(line: string, ruleId: string, severity: string): Promise<void> {
  const v = await expectPause(line, ruleId);
  const found = v.findings.find((f) => f.ruleId === ruleId);
  if (found?.severity !== severity) throw new Error(`${line}: expected ${ruleId} at ${severity}, got ${found?.severity}`);
}

describe('containers pack', () => {
  it('pauses system prune -a / --volumes in every flag order, and podman system reset', async () => {
    for (const line of [
      'docker system prune -a',
      'docker system prune --all',
      'docker system prune -af',
      'docker system prune -fa',
      'docker system prune -f -a',
      'docker system prune --force --all',
      'docker system prune --volumes',
      'podman system prune -a',
      'sudo docker system prune -af',
    ]) {
      await expectPause(line, 'containers.system-prune-all');
    }
    await expectPause('podman system reset', 'containers.system-reset');
  });

  it('pauses volume removal and prune', async () => {
    for (const line of ['docker volume rm myvolume', 'docker volume rm vol1 vol2', 'docker  volume  rm  data-vol', 'podman volume rm data', 'docker volume remove v']) {
      await expectPause(line, 'containers.volume-remove');
    }
    for (const line of ['docker volume prune', 'docker volume prune -f', 'nerdctl volume prune -a']) {
      await expectPause(line, 'containers.volume-prune');
    }
  });

  it('pauses compose down -v with compose options anywhere', async () => {
    for (const line of [
      'docker compose down -v',
      'docker-compose down -v',
      'docker compose down --volumes',
      'docker-compose down --rmi all --volumes',
      'docker compose down -t 30 -v',
      'docker compose down -v --remove-orphans',
      'docker compose -f custom.yml down -v',
      'docker compose -f a.yml -f b.yml -p proj down -v',
      'docker-compose -f docker-compose.prod.yml down --volumes',
      'docker compose rm -f -v',
      'podman-compose down -v',
    ]) {
      await expectPause(line, 'containers.compose-down-volumes');
    }
  });

  it('pauses forced removal of containers and images', async () => {
    for (const line of ['docker rm -f $(docker ps -aq)', 'docker rm --force $(docker ps -aq)', 'docker  rm  -f  $(docker  ps -q)', 'docker rm -f `docker ps -aq`', 'docker container rm -f $(docker ps -q)']) {
      await expectSeverity(line, 'containers.remove-all-containers', 'high');
    }
    await expectSeverity('docker rm -f web', 'containers.force-remove', 'medium');
    await expectPause('docker rm -v web', 'containers.remove-volumes-with-container');
    await expectPause('docker rmi -f image:tag', 'containers.force-remove-images');
    await expectPause('docker rmi --force image', 'containers.force-remove-images');
    await expectPause('docker image prune -a', 'containers.image-prune-all');
    await expectPause('docker image prune -af', 'containers.image-prune-all');
    await expectPause('docker buildx prune --all -f', 'containers.build-cache-prune-all');
  });

  it('pauses privileged containers and host mounts', async () => {
    for (const line of [
      'docker run --privileged nginx',
      'docker run --name c --privileged nginx',
      'docker run --privileged=true nginx',
      'docker run --security-opt seccomp=unconfined --privileged nginx',
      'podman create --privileged img',
    ]) {
      await expectPause(line, 'containers.privileged');
    }
    for (const line of [
      'docker run -d -v /:/host alpine',
      'docker run --volume=/:/host:ro alpine',
      'docker run -v /var/run/docker.sock:/var/run/docker.sock img',
      'docker create --mount type=bind,source=/,target=/host img',
      'docker run --pid=host img',
      'docker run --cap-add SYS_ADMIN img',
    ]) {
      await expectPause(line, 'containers.host-escape');
    }
  });

  it('pauses swarm removals', async () => {
    await expectPause('docker stack rm app', 'containers.swarm-remove');
    await expectPause('docker service rm web', 'containers.swarm-remove');
  });

  it('still analyses the command a container runs', async () => {
    await expectPause('docker run --rm -it ubuntu rm -rf /', 'filesystem.rm-critical-path');
    await expectPause('docker exec db kubectl delete ns x', 'kubernetes.delete-namespace');
  });

  it('raises severity for production contexts', async () => {
    await expectSeverity('docker --context prod compose down -v', 'containers.compose-down-volumes', 'critical');
    await expectSeverity('DOCKER_CONTEXT=production docker volume prune -f', 'containers.volume-prune', 'critical');
    await expectSeverity('docker -H ssh://prod-host volume rm data', 'containers.volume-remove', 'critical');
    await expectSeverity('docker context use prod && docker volume rm data', 'containers.volume-remove', 'critical');
  });

  it('allows read-only and ordinary commands', async () => {
    for (const line of [
      'docker ps',
      'docker images',
      'docker build -t myapp:latest .',
      'docker compose down',
      'docker-compose down',
      'docker compose -f x.yml logs -f',
      'docker compose up -d',
      'docker rm mycontainer',
      'docker rmi myimage:latest',
      'docker stop mycontainer',
      'docker system prune',
      'docker image prune',
      'docker buildx prune',
      'docker volume ls',
      'docker volume inspect myvol',
      'docker network ls',
      'docker container ls',
      'docker run nginx',
      'docker run -it ubuntu bash',
      'docker run --privileged=false nginx',
      'docker run -v ./data:/data -v /home/me/app:/app img',
      'docker volume rm --help',
      'echo "docker system prune -af"',
    ]) {
      await expectAllow(line);
    }
  });
});
