import { packCases, pauses } from './packCases';

describe('containers pack', () => {
  describe('pauses system prune -a / --volumes in every flag order, and podman system reset', () => {
    packCases({
      pause: [
        ...pauses('containers.system-prune-all', [
          'docker system prune -a',
          'docker system prune --all',
          'docker system prune -af',
          'docker system prune -fa',
          'docker system prune -f -a',
          'docker system prune --force --all',
          'docker system prune --volumes',
          'podman system prune -a',
          'sudo docker system prune -af',
        ]),
        ...pauses('containers.system-reset', ['podman system reset']),
      ],
    });
  });

  describe('pauses volume removal and prune', () => {
    packCases({
      pause: [
        ...pauses('containers.volume-remove', ['docker volume rm myvolume', 'docker volume rm vol1 vol2', 'docker  volume  rm  data-vol', 'podman volume rm data', 'docker volume remove v']),
        ...pauses('containers.volume-prune', ['docker volume prune', 'docker volume prune -f', 'nerdctl volume prune -a']),
      ],
    });
  });

  describe('pauses compose down -v with compose options anywhere', () => {
    packCases({
      pause: pauses('containers.compose-down-volumes', [
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
      ]),
    });
  });

  describe('pauses forced removal of containers and images', () => {
    packCases({
      pause: [
        ...pauses('containers.remove-all-containers', ['docker rm -f $(docker ps -aq)', 'docker rm --force $(docker ps -aq)', 'docker  rm  -f  $(docker  ps -q)', 'docker rm -f `docker ps -aq`', 'docker container rm -f $(docker ps -q)'], { ruleSeverity: 'high' }),
        { line: 'docker rm -f web', rule: 'containers.force-remove', ruleSeverity: 'medium' },
        ...pauses('containers.remove-volumes-with-container', ['docker rm -v web']),
        ...pauses('containers.force-remove-images', ['docker rmi -f image:tag', 'docker rmi --force image']),
        ...pauses('containers.image-prune-all', ['docker image prune -a', 'docker image prune -af']),
        ...pauses('containers.build-cache-prune-all', ['docker buildx prune --all -f']),
      ],
    });
  });

  describe('pauses privileged containers and host mounts', () => {
    packCases({
      pause: [
        ...pauses('containers.privileged', [
          'docker run --privileged nginx',
          'docker run --name c --privileged nginx',
          'docker run --privileged=true nginx',
          'docker run --security-opt seccomp=unconfined --privileged nginx',
          'podman create --privileged img',
        ]),
        ...pauses('containers.host-escape', [
          'docker run -d -v /:/host alpine',
          'docker run --volume=/:/host:ro alpine',
          'docker run -v /var/run/docker.sock:/var/run/docker.sock img',
          'docker create --mount type=bind,source=/,target=/host img',
          'docker run --pid=host img',
          'docker run --cap-add SYS_ADMIN img',
        ]),
      ],
    });
  });

  describe('pauses swarm removals', () => {
    packCases({
      pause: pauses('containers.swarm-remove', ['docker stack rm app', 'docker service rm web']),
    });
  });

  describe('still analyses the command a container runs', () => {
    packCases({
      pause: [
        { line: 'docker run --rm -it ubuntu rm -rf /', rule: 'filesystem.rm-critical-path' },
        { line: 'docker exec db kubectl delete ns x', rule: 'kubernetes.delete-namespace' },
      ],
    });
  });

  describe('raises severity for production contexts', () => {
    packCases({
      pause: [
        { line: 'docker --context prod compose down -v', rule: 'containers.compose-down-volumes', ruleSeverity: 'critical' },
        { line: 'DOCKER_CONTEXT=production docker volume prune -f', rule: 'containers.volume-prune', ruleSeverity: 'critical' },
        { line: 'docker -H ssh://prod-host volume rm data', rule: 'containers.volume-remove', ruleSeverity: 'critical' },
        { line: 'docker context use prod && docker volume rm data', rule: 'containers.volume-remove', ruleSeverity: 'critical' },
      ],
    });
  });

  describe('allows read-only and ordinary commands', () => {
    packCases({
      allow: [
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
      ],
    });
  });
});
