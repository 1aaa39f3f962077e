import { packCases, pauses } from './packCases';

describe('kubernetes pack', () => {
  describe('pauses namespace deletion in every spelling of the kind and with global options first', () => {
    packCases({
      pause: pauses('kubernetes.delete-namespace', [
        'kubectl delete ns staging',
        'kubectl delete namespace staging',
        'kubectl    delete    namespace',
        'kubectl delete namespaces/staging',
        'kubectl delete ns/staging',
        'kubectl delete deploy,ns foo',
        'kubectl --context prod delete ns staging',
        'kubectl -n default delete ns staging',
        'kubectl --kubeconfig=/tmp/k delete ns x',
        'k delete ns production',
        'oc delete project foo',
        'sudo kubectl delete ns x',
        "bash -c 'kubectl delete ns x'",
      ]),
    });
  });

  describe('pauses storage, CRD, --all and force deletes, and other deletes at medium', () => {
    packCases({
      pause: [
        ...pauses('kubernetes.delete-storage', ['kubectl delete pvc data-db-0', 'kubectl delete persistentvolume pv-1']),
        ...pauses('kubernetes.delete-crd', ['kubectl delete crd certificates.cert-manager.io']),
        ...pauses('kubernetes.delete-all', ['kubectl delete pods --all', 'kubectl delete all --all -n default', 'kubectl -n staging delete pods --all', 'k delete services --all', 'kubectl delete pods --all-namespaces', 'kubectl delete deploy -A -l app=x']),
        ...pauses('kubernetes.force-delete', ['kubectl delete pod mypod --force --grace-period=0']),
        ...pauses('kubernetes.delete', ['kubectl delete pod mypod', 'kubectl delete -f app.yaml', 'kubectl delete pods --field-selector status.phase=Failed', 'kubectl delete -n test', 'kubectl delete pod x --dry-run=none'], { ruleSeverity: 'medium' }),
      ],
    });
  });

  describe('pauses drain, replace --force, apply --force and apply --prune', () => {
    packCases({
      pause: [
        ...pauses('kubernetes.drain', ['kubectl drain node01', 'k drain node01', 'kubectl drain node01 --ignore-daemonsets --delete-emptydir-data', 'oc adm drain node01']),
        ...pauses('kubernetes.replace-force', ['kubectl replace -f deployment.yaml --force', 'k replace -f pod.yaml --force']),
        ...pauses('kubernetes.apply-force', ['kubectl apply -f deployment.yaml --force', 'kubectl apply --force -f deployment.yaml', 'kubectl  apply  -f  d.yaml  --force', 'kubectl -n production apply -f d.yaml --force']),
        ...pauses('kubernetes.apply-prune', ['kubectl apply --prune -l app=web -f manifests/']),
      ],
    });
  });

  describe('pauses scaling to zero and other changes only in production contexts', () => {
    packCases({
      pause: [
        { line: 'kubectl -n production scale deploy/api --replicas=0', rule: 'kubernetes.scale-to-zero', ruleSeverity: 'high' },
        { line: 'kubectl --context prod-eu scale --replicas 0 deploy/api', rule: 'kubernetes.scale-to-zero' },
        ...pauses('kubernetes.production-change', ['kubectl --context prod-eu rollout restart deploy/api', 'kubectl config use-context production && kubectl apply -f app.yaml', 'KUBECONFIG=~/.kube/prod.yaml kubectl set env deploy/api FOO=bar', 'kubectl --context=production cordon node1']),
      ],
      allow: ['kubectl scale deploy/api --replicas=0', 'kubectl rollout restart deploy/api', 'kubectl set env deploy/api FOO=bar', 'kubectl apply -f app.yaml', 'kubectl cordon node01', 'kubectl -n production apply -f app.yaml --dry-run=server'],
    });
  });

  describe('raises severity in a production context', () => {
    packCases({
      pause: [
        { line: 'kubectl --context prod delete ns staging', rule: 'kubernetes.delete-namespace', ruleSeverity: 'critical' },
        { line: 'kubectl delete deployments --all -n production', rule: 'kubernetes.delete-all', ruleSeverity: 'critical' },
        { line: 'kubectl config use-context prod; kubectl delete pod x', rule: 'kubernetes.delete', ruleSeverity: 'high' },
      ],
    });
  });

  describe('pauses helm uninstall and --force, and production helm changes', () => {
    packCases({
      pause: [
        ...pauses('kubernetes.helm-uninstall', ['helm uninstall my-release', 'helm delete my-release', 'helm un my-release', 'helm uninstall my-release --namespace prod', 'helm -n apps uninstall r']),
        ...pauses('kubernetes.helm-force', ['helm upgrade my-release my-chart --force', 'helm upgrade --force my-release my-chart']),
        ...pauses('kubernetes.helm-production-change', ['helm --kube-context prod upgrade r chart -f values.yaml', 'helm rollback r 3 -n production']),
        { line: 'helm uninstall r --kube-context production', rule: 'kubernetes.helm-uninstall', ruleSeverity: 'critical' },
      ],
    });
  });

  describe('pauses eksctl deletes', () => {
    packCases({
      pause: pauses('kubernetes.eksctl-delete', ['eksctl delete cluster --name c', 'eksctl delete nodegroup --cluster c --name ng']),
    });
  });

  describe('allows read-only commands, dry runs, help and quoted data', () => {
    packCases({
      allow: [
        'kubectl get pods -A',
        'kubectl get pods --all-namespaces',
        'kubectl describe ns production',
        'kubectl logs -f deploy/api -n production',
        'kubectl get nodes',
        'kubectl uncordon node01',
        'k uncordon node01',
        'kubectl delete ns staging --dry-run=client',
        'kubectl delete pods --all --dry-run=client',
        'kubectl replace -f deployment.yaml',
        'kubectl replace -f deployment.yaml --force --dry-run=client',
        'kubectl apply -f deployment.yaml',
        'kubectl apply -f deployment.yaml --force --dry-run=client',
        'kubectl apply --force-conflicts -f deployment.yaml',
        'kubectl delete --help',
        'kubectl drain -h',
        'helm list',
        'helm history my-release',
        'helm upgrade my-release my-chart',
        'helm uninstall r --dry-run',
        'eksctl get cluster',
        'echo "kubectl delete ns prod"',
        'git commit -m "kubectl delete --all"',
      ],
    });
  });

  describe('asks for a delete by a name a letter away from kubectl: another tool, not a typo waved through', () => {
    packCases({ pause: pauses('generic.destructive-command', ['kubectll delete ns x']) });
  });
});
