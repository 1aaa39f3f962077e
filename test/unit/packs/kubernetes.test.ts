import { expectAllow, expectPause } from '../../helpers/engine';

async function expectSeverity(line: string, ruleId: string, severity: string): Promise<void> {
  const v = await expectPause(line, ruleId);
  const found = v.findings.find((f) => f.ruleId === ruleId);
  if (found?.severity !== severity) throw new Error(`${line}: expected ${ruleId} at ${severity}, got ${found?.severity}`);
}

describe('kubernetes pack', () => {
  it('pauses namespace deletion in every spelling of the kind and with global options first', async () => {
    for (const line of [
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
    ]) {
      await expectPause(line, 'kubernetes.delete-namespace');
    }
  });

  it('pauses storage, CRD, --all and force deletes, and other deletes at medium', async () => {
    await expectPause('kubectl delete pvc data-db-0', 'kubernetes.delete-storage');
    await expectPause('kubectl delete persistentvolume pv-1', 'kubernetes.delete-storage');
    await expectPause('kubectl delete crd certificates.cert-manager.io', 'kubernetes.delete-crd');
    for (const line of ['kubectl delete pods --all', 'kubectl delete all --all -n default', 'kubectl -n staging delete pods --all', 'k delete services --all', 'kubectl delete pods --all-namespaces', 'kubectl delete deploy -A -l app=x']) {
      await expectPause(line, 'kubernetes.delete-all');
    }
    await expectPause('kubectl delete pod mypod --force --grace-period=0', 'kubernetes.force-delete');
    for (const line of ['kubectl delete pod mypod', 'kubectl delete -f app.yaml', 'kubectl delete pods --field-selector status.phase=Failed', 'kubectl delete -n test', 'kubectl delete pod x --dry-run=none']) {
      await expectSeverity(line, 'kubernetes.delete', 'medium');
    }
  });

  it('pauses drain, replace --force, apply --force and apply --prune', async () => {
    for (const line of ['kubectl drain node01', 'k drain node01', 'kubectl drain node01 --ignore-daemonsets --delete-emptydir-data', 'oc adm drain node01']) {
      await expectPause(line, 'kubernetes.drain');
    }
    await expectPause('kubectl replace -f deployment.yaml --force', 'kubernetes.replace-force');
    await expectPause('k replace -f pod.yaml --force', 'kubernetes.replace-force');
    for (const line of ['kubectl apply -f deployment.yaml --force', 'kubectl apply --force -f deployment.yaml', 'kubectl  apply  -f  d.yaml  --force', 'kubectl -n production apply -f d.yaml --force']) {
      await expectPause(line, 'kubernetes.apply-force');
    }
    await expectPause('kubectl apply --prune -l app=web -f manifests/', 'kubernetes.apply-prune');
  });

  it('pauses scaling to zero and other changes only in production contexts', async () => {
    await expectSeverity('kubectl -n production scale deploy/api --replicas=0', 'kubernetes.scale-to-zero', 'high');
    await expectPause('kubectl --context prod-eu scale --replicas 0 deploy/api', 'kubernetes.scale-to-zero');
    await expectPause('kubectl --context prod-eu rollout restart deploy/api', 'kubernetes.production-change');
    await expectPause('kubectl config use-context production && kubectl apply -f app.yaml', 'kubernetes.production-change');
    await expectPause('KUBECONFIG=~/.kube/prod.yaml kubectl set env deploy/api FOO=bar', 'kubernetes.production-change');
    await expectPause('kubectl --context=production cordon node1', 'kubernetes.production-change');
    for (const line of ['kubectl scale deploy/api --replicas=0', 'kubectl rollout restart deploy/api', 'kubectl set env deploy/api FOO=bar', 'kubectl apply -f app.yaml', 'kubectl cordon node01', 'kubectl -n production apply -f app.yaml --dry-run=server']) {
      await expectAllow(line);
    }
  });

  it('raises severity in a production context', async () => {
    await expectSeverity('kubectl --context prod delete ns staging', 'kubernetes.delete-namespace', 'critical');
    await expectSeverity('kubectl delete deployments --all -n production', 'kubernetes.delete-all', 'critical');
    await expectSeverity('kubectl config use-context prod; kubectl delete pod x', 'kubernetes.delete', 'high');
  });

  it('pauses helm uninstall and --force, and production helm changes', async () => {
    for (const line of ['helm uninstall my-release', 'helm delete my-release', 'helm un my-release', 'helm uninstall my-release --namespace prod', 'helm -n apps uninstall r']) {
      await expectPause(line, 'kubernetes.helm-uninstall');
    }
    await expectPause('helm upgrade my-release my-chart --force', 'kubernetes.helm-force');
    await expectPause('helm upgrade --force my-release my-chart', 'kubernetes.helm-force');
    await expectPause('helm --kube-context prod upgrade r chart -f values.yaml', 'kubernetes.helm-production-change');
    await expectPause('helm rollback r 3 -n production', 'kubernetes.helm-production-change');
    await expectSeverity('helm uninstall r --kube-context production', 'kubernetes.helm-uninstall', 'critical');
  });

  it('pauses eksctl deletes', async () => {
    await expectPause('eksctl delete cluster --name c', 'kubernetes.eksctl-delete');
    await expectPause('eksctl delete nodegroup --cluster c --name ng', 'kubernetes.eksctl-delete');
  });

  it('allows read-only commands, dry runs, help and quoted data', async () => {
    for (const line of [
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
      'kubectll delete ns x',
      'helm list',
      'helm history my-release',
      'helm upgrade my-release my-chart',
      'helm uninstall r --dry-run',
      'eksctl get cluster',
      'echo "kubectl delete ns prod"',
      'git commit -m "kubectl delete --all"',
    ]) {
      await expectAllow(line);
    }
  });
});
