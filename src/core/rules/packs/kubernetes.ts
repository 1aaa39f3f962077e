import type { Condition, RulePack } from '../types';

/** kubectl and its OpenShift twin; `k` is the usual shell alias for kubectl. */
const KUBECTL = ['kubectl', 'oc', 'k'];

/**
 * Globs for a resource kind as kubectl accepts it in the TYPE position: `ns`, `ns/name`, or inside a
 * comma list (`deploy,ns`), with an optional API group suffix (`namespaces.v1`).
 */
function kinds(...names: string[]): string {
  return names.flatMap((n) => [n, `${n}.*`, `${n}/*`, `${n}.*/*`, `${n},*`, `*,${n}`, `*,${n},*`]).join('|');
}

const NOT_DRY_RUN: Condition = { not: { optionValue: ['dry-run'], matches: '^(|client|server|true)$' } };
const NOT_HELP: Condition = { not: { option: ['help', 'h'] } };
const LIVE: Condition = { all: [NOT_DRY_RUN, NOT_HELP] };
/** `--force` without `--force=false`. */
const FORCE: Condition = { optionValue: ['force'], matches: '^(|true)$' };

const DELETE: Condition = { sub: ['delete'] };
const DELETE_NAMESPACE: Condition = { sub: ['delete', kinds('ns', 'namespace', 'namespaces', 'project', 'projects')] };
const DELETE_STORAGE: Condition = {
  sub: ['delete', kinds('pvc', 'persistentvolumeclaim', 'persistentvolumeclaims', 'pv', 'persistentvolume', 'persistentvolumes')],
};
const DELETE_CRD: Condition = { sub: ['delete', kinds('crd', 'crds', 'customresourcedefinition', 'customresourcedefinitions')] };
const DELETE_ALL: Condition = {
  all: [DELETE, { any: [{ option: ['all', 'A', 'all-namespaces'] }, { sub: ['delete', kinds('all')] }] }],
};
const FORCE_DELETE: Condition = { all: [DELETE, FORCE] };
/** Every claim or volume at once (`delete pvc --all`, `-A`): all the data the cluster keeps. */
const DELETE_EVERY_VOLUME: Condition = { all: [DELETE_STORAGE, { option: ['all', 'A', 'all-namespaces'] }] };
/**
 * Everything an application is made of: a directory of manifests (`-f k8s/`, `-R`), a kustomization
 * (`-k`), or a rendered chart on stdin (`helm template . | kubectl delete -f -`).
 */
const DELETE_MANIFEST_SET: Condition = {
  all: [DELETE, { any: [{ option: ['k', 'kustomize', 'R', 'recursive'] }, { optionValue: ['f', 'filename'], matches: '^-$|/$|^[^.]*$|^\\.$' }] }],
};
const SPECIFIC_DELETE: Condition = { any: [DELETE_NAMESPACE, DELETE_STORAGE, DELETE_CRD, DELETE_ALL, FORCE_DELETE, DELETE_MANIFEST_SET] };

/** Verbs that change what runs in a cluster. */
const CHANGES_CLUSTER: Condition = {
  any: [
    { sub: ['apply|create|replace|patch|edit|scale|autoscale|set|label|annotate|taint|cordon|expose|run'] },
    { sub: ['rollout', 'restart|undo|pause|resume'] },
    { sub: ['adm', 'drain|cordon|taint'] },
  ],
};

const HELM_VALUE_OPTIONS = [
  'namespace', 'n', 'kube-context', 'kubeconfig', 'f', 'values', 'set', 'set-string', 'set-file', 'set-json', 'version', 'timeout',
  'repo', 'o', 'output', 'description', 'post-renderer', 'history-max', 'max', 'revision', 'registry-config', 'repository-config',
  'repository-cache', 'kube-apiserver', 'kube-as-user', 'kube-as-group', 'kube-token', 'cascade', 'username', 'password',
];

export const kubernetesPack: RulePack = {
  id: 'kubernetes',
  grammars: [
    {
      tools: KUBECTL,
      valueOptions: [
        'context', 'namespace', 'n', 'kubeconfig', 'cluster', 'user', 'l', 'selector', 'f', 'filename', 'o', 'output', 's', 'server',
        'token', 'as', 'as-group', 'as-uid', 'field-selector', 'grace-period', 'timeout', 'template', 'c', 'container', 'k', 'kustomize',
        'replicas', 'current-replicas', 'resource-version', 'chunk-size', 'request-timeout', 'certificate-authority', 'client-certificate',
        'client-key', 'tls-server-name', 'cache-dir', 'v', 'field-manager', 'pod-selector', 'prune-allowlist', 'type', 'patch',
        'p', 'image', 'port', 'min', 'max', 'cpu-percent', 'to-revision', 'delete-emptydir-data-timeout',
      ],
      contextOptions: ['context', 'namespace', 'n', 'kubeconfig', 'cluster', 'server', 's'],
      contextEnv: ['KUBECONFIG'],
      contextSetters: [['config', 'use-context'], ['config', 'use'], ['project']],
    },
    {
      tools: ['helm'],
      valueOptions: HELM_VALUE_OPTIONS,
      contextOptions: ['kube-context', 'namespace', 'n', 'kubeconfig', 'kube-apiserver'],
      contextEnv: ['HELM_KUBECONTEXT', 'HELM_NAMESPACE', 'KUBECONFIG'],
    },
    {
      tools: ['helmfile'],
      valueOptions: ['f', 'file', 'e', 'environment', 'l', 'selector', 'kube-context', 'n', 'namespace', 'state-values-set', 'state-values-file', 'chart', 'c'],
      contextOptions: ['e', 'environment', 'kube-context', 'n', 'namespace'],
      contextEnv: ['HELMFILE_ENVIRONMENT', 'KUBECONFIG'],
    },
    {
      tools: ['eksctl'],
      valueOptions: ['name', 'n', 'region', 'r', 'profile', 'p', 'cluster', 'c', 'config-file', 'f', 'timeout', 'nodegroup'],
      contextOptions: ['name', 'n', 'profile', 'p', 'cluster', 'c', 'config-file', 'f'],
      contextEnv: ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'],
    },
  ],
  rules: [
    {
      id: 'kubernetes.delete-namespace',
      tools: KUBECTL,
      when: { all: [DELETE_NAMESPACE, LIVE] },
      severity: 'high',
      title: 'Deletes a Kubernetes namespace',
      why: 'Deleting a namespace deletes everything in it: deployments, services, secrets, config maps and the persistent volume claims that hold data (and, with the usual Delete reclaim policy, the volumes behind them). It cannot be stopped once it starts and cannot be undone.',
      saferAlternative: 'List what is in it first (`kubectl get all,pvc,secret -n NAME`), check the context (`kubectl config current-context`), and delete the specific resources you mean.',
    },
    {
      id: 'kubernetes.delete-storage',
      tools: KUBECTL,
      when: { all: [DELETE_STORAGE, LIVE] },
      severity: 'high',
      title: 'Deletes persistent volumes or claims',
      why: 'A persistent volume claim is where a stateful workload keeps its data. Deleting it (or the volume) usually deletes the underlying disk as well, under the default Delete reclaim policy.',
      saferAlternative: 'Check the reclaim policy (`kubectl get pv`) and snapshot the volume first; set `persistentVolumeReclaimPolicy: Retain` on volumes that must survive.',
    },
    {
      id: 'kubernetes.delete-every-volume',
      tools: KUBECTL,
      when: { all: [DELETE_EVERY_VOLUME, LIVE] },
      severity: 'critical',
      title: 'Deletes every persistent volume claim',
      why: '`--all` (or `-A`) on volume claims or volumes deletes every one in the namespace or the cluster: every database and every stateful workload loses its disk at once, under the default Delete reclaim policy.',
      saferAlternative: 'List the claims and their reclaim policy first (`kubectl get pvc,pv`), snapshot the volumes, and delete the claims you mean by name.',
    },
    {
      id: 'kubernetes.delete-manifest-set',
      tools: KUBECTL,
      when: { all: [DELETE_MANIFEST_SET, LIVE] },
      severity: 'high',
      title: 'Deletes everything a set of manifests describes',
      why: 'A directory of manifests, a kustomization or a rendered chart describes a whole application: its deployments, services, secrets and often its volume claims. Deleting it takes all of them at once, with the data on the claims.',
      saferAlternative: 'See what it would delete first (`kubectl delete --dry-run=server -f DIR`), and remove the parts you mean by name; uninstall a chart with `helm uninstall --dry-run` first.',
    },
    {
      id: 'kubernetes.delete-crd',
      tools: KUBECTL,
      when: { all: [DELETE_CRD, LIVE] },
      severity: 'high',
      title: 'Deletes a custom resource definition',
      why: 'Deleting a CRD deletes every custom resource of that type in every namespace (certificates, database clusters, operator-managed objects), and operators then tear down what those resources managed.',
      saferAlternative: 'List the custom resources of that type across namespaces first (`kubectl get KIND -A`) and remove the operator deliberately.',
    },
    {
      id: 'kubernetes.delete-all',
      tools: KUBECTL,
      when: { all: [DELETE_ALL, LIVE] },
      severity: 'high',
      title: 'Deletes every resource of a kind',
      why: '`--all`, `-A/--all-namespaces` or the `all` kind delete every matching resource at once, in one namespace or across the whole cluster. With the wrong context or namespace this takes down everything running there.',
      saferAlternative: 'List what matches first (`kubectl get KIND -n NS`), then delete by name or with a narrow `-l` selector; run with `--dry-run=server` to see the result.',
    },
    {
      id: 'kubernetes.force-delete',
      tools: KUBECTL,
      when: { all: [FORCE_DELETE, LIVE] },
      severity: 'high',
      title: 'Force-deletes Kubernetes resources',
      why: '`--force` removes the objects from the API at once without waiting for the containers to stop. A StatefulSet pod force-deleted this way can run twice with the same identity and corrupt its data; finalizers that clean up are skipped.',
      saferAlternative: 'Delete without `--force` and let the grace period run; find out why a pod is stuck (`kubectl describe pod`) before forcing it.',
    },
    {
      id: 'kubernetes.delete',
      tools: KUBECTL,
      when: { all: [DELETE, { not: SPECIFIC_DELETE }, LIVE] },
      severity: 'medium',
      title: 'Deletes Kubernetes resources',
      why: '`kubectl delete` removes resources from the cluster at once. A deployment, service, secret or config map deleted by name or selector stops serving until it is applied again, and a secret’s value is lost unless it is stored elsewhere.',
      saferAlternative: 'Check the context and namespace, run with `--dry-run=server` first, and delete through the manifests in version control.',
    },
    {
      id: 'kubernetes.drain',
      tools: KUBECTL,
      when: { all: [{ any: [{ sub: ['drain'] }, { sub: ['adm', 'drain'] }] }, LIVE] },
      severity: 'high',
      title: 'Drains a Kubernetes node',
      why: '`kubectl drain` evicts every pod from the node and marks it unschedulable. Workloads without spare replicas go down; with `--delete-emptydir-data` their scratch data is deleted, and `--force` evicts pods no controller will recreate.',
      saferAlternative: 'Check that the pods have replicas and disruption budgets elsewhere; `kubectl cordon` first and drain one node at a time with `--dry-run=server`.',
    },
    {
      id: 'kubernetes.replace-force',
      tools: KUBECTL,
      when: { all: [{ sub: ['replace'] }, FORCE, LIVE] },
      severity: 'high',
      title: 'Replaces resources by deleting and recreating them',
      why: '`kubectl replace --force` deletes the live objects and creates them again from the file. Pods restart all at once (no rolling update) and anything not in the file — status, annotations set by controllers — is lost.',
      saferAlternative: 'Use `kubectl apply` for a rolling change, after `kubectl diff -f FILE`.',
    },
    {
      id: 'kubernetes.apply-force',
      tools: KUBECTL,
      when: { all: [{ sub: ['apply'] }, FORCE, LIVE] },
      severity: 'high',
      title: 'Applies with --force',
      why: 'When a change cannot be patched, `kubectl apply --force` deletes the object and recreates it. For a workload that is a full outage while it restarts; for a persistent volume claim it can mean losing the data.',
      saferAlternative: 'Apply without `--force`, read the error, and change the field in a way that can be patched; check with `kubectl diff -f FILE`.',
    },
    {
      id: 'kubernetes.apply-prune',
      tools: KUBECTL,
      when: { all: [{ sub: ['apply'] }, { option: ['prune'] }, LIVE] },
      severity: 'high',
      title: 'Applies with --prune',
      why: '`kubectl apply --prune` deletes every object matching the selector that is not in the files being applied. A partial directory or a wide selector deletes the rest of the application.',
      saferAlternative: 'Run the same command with `--dry-run=server` and read the "pruned" lines first.',
    },
    {
      id: 'kubernetes.scale-to-zero',
      tools: KUBECTL,
      productionOnly: true,
      when: { all: [{ sub: ['scale'] }, { optionValue: ['replicas'], matches: '^0+$' }, LIVE] },
      severity: 'high',
      title: 'Scales a production workload to zero',
      why: 'Scaling to zero replicas stops every pod of the workload: the service is down until it is scaled back up.',
      saferAlternative: 'Scale down gradually, or confirm the workload is not serving traffic (`kubectl get endpoints`) first.',
    },
    {
      id: 'kubernetes.production-change',
      tools: KUBECTL,
      productionOnly: true,
      when: { all: [CHANGES_CLUSTER, LIVE] },
      severity: 'medium',
      title: 'Changes a production cluster',
      why: 'This changes what runs in a production cluster or namespace (apply, scale, rollout, set, patch, edit, cordon...). A mistake there is an outage for users, and there is no review step between the command and the change.',
      saferAlternative: 'Check it with `kubectl diff` or `--dry-run=server`, and make production changes through the reviewed deployment pipeline.',
    },
    // ------------------------------------------------------------------------------------ helm
    {
      id: 'kubernetes.helm-uninstall',
      tools: ['helm'],
      when: { all: [{ sub: ['uninstall|delete|del|un'] }, LIVE] },
      severity: 'high',
      title: 'Uninstalls a Helm release',
      why: '`helm uninstall` deletes every Kubernetes object the release created — deployments, services, secrets and, for many charts, the persistent volume claims that hold data.',
      saferAlternative: 'Look at what the release owns first (`helm get manifest RELEASE`), run with `--dry-run`, and keep `--keep-history` so it can be rolled back.',
    },
    {
      id: 'kubernetes.helm-force',
      tools: ['helm'],
      when: { all: [{ sub: ['upgrade|rollback'] }, FORCE, LIVE] },
      severity: 'high',
      title: 'Upgrades or rolls back a Helm release with --force',
      why: '`--force` makes Helm delete and recreate resources it cannot patch. Workloads restart all at once, and recreated volume claims can lose their data.',
      saferAlternative: 'Upgrade without `--force`; check with `helm diff upgrade` or `--dry-run` first.',
    },
    {
      id: 'kubernetes.helm-production-change',
      tools: ['helm'],
      productionOnly: true,
      when: { all: [{ sub: ['install|upgrade|rollback'] }, LIVE] },
      severity: 'medium',
      title: 'Changes a Helm release in production',
      why: 'This installs, upgrades or rolls back a release in a production cluster or namespace. A wrong chart version or values file is an outage for users.',
      saferAlternative: 'Run it with `--dry-run` (or `helm diff`) first and deploy production through the reviewed pipeline.',
    },
    {
      id: 'kubernetes.helmfile-destroy',
      tools: ['helmfile'],
      when: { all: [{ sub: ['destroy|delete'] }, NOT_HELP] },
      severity: 'high',
      title: 'Uninstalls every release of a helmfile',
      why: '`helmfile destroy` uninstalls every release the helmfile (or the selected environment) lists, with every object those charts created — volume claims that hold data included.',
      saferAlternative: 'See what it covers first (`helmfile list`, with the same -e and -l), and uninstall single releases with `helm uninstall --dry-run` first.',
    },
    // ---------------------------------------------------------------------------------- eksctl
    {
      id: 'kubernetes.eksctl-delete',
      tools: ['eksctl'],
      when: { all: [{ sub: ['delete'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes an EKS cluster or node group',
      why: '`eksctl delete cluster` tears down the cluster, its node groups and the CloudFormation stacks behind them; every workload on it goes, with volumes whose reclaim policy is Delete. Node group deletion evicts everything on those nodes.',
      saferAlternative: 'Check the cluster name and account first (`eksctl get cluster`, `aws sts get-caller-identity`), and move workloads off before deleting.',
    },
  ],
};
