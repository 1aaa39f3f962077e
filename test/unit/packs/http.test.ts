import { packCases, pauses } from './packCases';

const RAILWAY = 'https://backboard.railway.app/graphql/v2';
const VOLUME_DELETE = `'{"query":"mutation { volumeDelete(volumeId: \\"vol_123\\") }"}'`;

describe('http pack', () => {
  describe('pauses DELETE in every client and flag form', () => {
    packCases({
      pause: pauses('http.delete', [
        "curl -X DELETE 'http://localhost:9200/logs-2024'",
        'curl -XDELETE https://api.example.com/items/1',
        'curl --request DELETE https://api.example.com/items/1',
        'curl --request=delete https://api.example.com/items/1',
        'curl -s -H "Authorization: Bearer x" -X DELETE https://api.example.com/items/1',
        'curl -X POST -H "X-HTTP-Method-Override: DELETE" https://api.example.com/items/1',
        'wget --method=DELETE https://api.example.com/items/1',
        'wget --method DELETE -O - https://api.example.com/items/1',
        'http DELETE example.org/items/1',
        'https --verify=no DELETE example.org/items/1',
        'xh delete :3000/todos/1',
        'sudo curl -X DELETE http://localhost:9200/_all',
        'ssh bastion "curl -X DELETE http://es:9200/logs"',
      ]),
    });
  });
  describe('pauses endpoints that delete whatever the method', () => {
    packCases({
      pause: pauses('http.destructive-endpoint', [
        "curl -X POST 'http://localhost:9200/logs/_delete_by_query' -H 'Content-Type: application/json' -d '{\"query\":{\"match_all\":{}}}'",
        'curl -X POST http://jenkins.local/job/deploy-prod/doDelete',
      ]),
    });
  });
  describe('pauses writes to cloud control-plane APIs', () => {
    packCases({
      pause: pauses('http.control-plane-write', [
        'curl -X POST https://api.heroku.com/apps -d name=x',
        'curl -d \'{"name":"web"}\' https://api.fly.io/v1/apps',
        'curl --json \'{"count":3}\' https://api.machines.dev/v1/apps/x/machines',
        'curl -X PATCH https://api.vercel.com/v9/projects/p -d @settings.json',
        'curl -F file=@site.zip https://api.netlify.com/api/v1/sites/x/deploys',
        'curl -X PUT https://api.cloudflare.com/client/v4/zones/z/dns_records/r --data \'{"content":"1.2.3.4"}\'',
        'curl -X POST https://ec2.us-east-1.amazonaws.com/ -d Action=TerminateInstances',
        'curl -X PUT https://management.azure.com/subscriptions/s/resourceGroups/rg?api-version=2021-04-01 -d "{}"',
        'http POST https://api.digitalocean.com/v2/droplets name=x',
        'http PATCH api.render.com/v1/services/s suspended=true',
        'wget --post-data="x=1" https://api.linode.com/v4/linode/instances',
        `curl ${RAILWAY} -d @query.json`,
        `curl ${RAILWAY} -d @body.json --data-raw '{"query":"query { me { id } }"}'`,
        `curl ${RAILWAY} -d '{"query":"mutation { serviceInstanceRedeploy(serviceId: \\"s\\") }"}'`,
      ]),
    });
  });
  describe('pauses GraphQL mutations that delete, in every body form', () => {
    packCases({
      pause: [
        ...pauses('http.control-plane-destructive-mutation', [
          `curl ${RAILWAY} -H 'Content-Type: application/json' -d ${VOLUME_DELETE}`,
          `curl -X POST ${RAILWAY} --data-raw ${VOLUME_DELETE}`,
          `curl https://backboard.railway.com/graphql/v2 --data-binary ${VOLUME_DELETE}`,
          `curl ${RAILWAY} --json ${VOLUME_DELETE}`,
          `curl ${RAILWAY} -d @- <<EOF\n{"query":"mutation DeleteIt($id: String!) { volumeDelete(volumeId: $id) }","variables":{"id":"v"}}\nEOF`,
          `http POST ${RAILWAY} query='mutation { projectDelete(id: "p") }'`,
          `xh ${RAILWAY} query='mutation { environmentDelete(id: "e") }'`,
        ]),
        { line: `curl ${RAILWAY} -d ${VOLUME_DELETE}`, rule: 'http.control-plane-destructive-mutation', severity: 'critical' },
        ...pauses('http.graphql-destructive-mutation', [
          'curl -d \'{"query":"mutation { deleteRepository(input: {id: 1}) { clientMutationId } }"}\' https://git.example.com/graphql',
          "curl https://x.example.com/graphql -H 'Content-Type: application/graphql' -d 'mutation { a: purgeCache { ok } }'",
        ]),
      ],
    });
  });
  describe('allows reads, GraphQL queries and bodies that only mention deletion', () => {
    packCases({
      allow: [
        'curl https://example.com',
        'wget https://example.com/file',
        "curl -X GET 'http://localhost:9200/_cat/indices?v'",
        "curl -X POST 'http://localhost:9200/logs-2024/_search' -H 'Content-Type: application/json' -d '{\"query\":{\"match_all\":{}}}'",
        "curl -X PUT 'http://localhost:9200/prod-index-v2' -d '{\"settings\":{}}'",
        'curl https://api.heroku.com/apps',
        'curl -G https://api.heroku.com/apps -d limit=10',
        `curl ${RAILWAY} -d '{"query":"query { me { projects { edges { node { id name } } } } }"}'`,
        `http ${RAILWAY} query='query { me { id } }'`,
        'curl -d \'{"comment":"please delete this"}\' https://example.com/api',
        'curl -d \'{"query":"mutation { updateUser(id: 1) { id deletedAt } }"}\' https://x.example.com/graphql',
        'curl -d \'{"query":"mutation { addNote(text: \\"delete me\\") { id } }"}\' https://x.example.com/graphql',
        'curl https://ec2.us-east-1.amazonaws.com/ -d Action=DescribeInstances -d Version=2016-11-15',
        'curl -X POST https://abc.execute-api.us-east-1.amazonaws.com/prod/items -d x',
        'curl -d @- https://example.com <<EOF\nrm -rf /\nEOF',
        'http :3000/api/items name=x',
        'curl -o out.json https://api.vercel.com/v9/projects',
        'echo "curl -X DELETE https://api.example.com/x"',
      ],
    });
  });
  describe('raises severity for production hosts', () => {
    packCases({
      pause: [{ line: 'curl -X DELETE https://api.prod.example.com/users/1', rule: 'http.delete', severity: 'critical' }],
    });
  });
});
