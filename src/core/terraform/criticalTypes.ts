/**
 * Resource types whose loss is hard or impossible to undo, as data: AWS, Google Cloud, Azure (and
 * Kubernetes volumes). A key is an exact type or a `*` glob. Settings and policy add to this table
 * (`BlastRadiusOptions.criticalTypes`); they can re-file a type under another category but never
 * take one off the list.
 */
import type { CriticalCategory } from './types';

export const CRITICAL_TYPES: Readonly<Record<string, CriticalCategory>> = {
  // ── AWS ──
  aws_db_instance: 'database',
  aws_rds_cluster: 'database',
  aws_rds_global_cluster: 'database',
  aws_docdb_cluster: 'database',
  aws_neptune_cluster: 'database',
  aws_redshift_cluster: 'database',
  aws_redshiftserverless_namespace: 'database',
  aws_dynamodb_table: 'database',
  aws_dynamodb_global_table: 'database',
  aws_elasticache_cluster: 'database',
  aws_elasticache_replication_group: 'database',
  aws_memorydb_cluster: 'database',
  aws_opensearch_domain: 'database',
  aws_elasticsearch_domain: 'database',
  aws_keyspaces_table: 'database',
  aws_timestreamwrite_table: 'database',
  aws_qldb_ledger: 'database',
  aws_lightsail_database: 'database',
  aws_s3_bucket: 'storage',
  aws_efs_file_system: 'storage',
  'aws_fsx_*_file_system': 'storage',
  aws_glacier_vault: 'storage',
  aws_ecr_repository: 'storage',
  aws_ebs_volume: 'volume',
  aws_lightsail_disk: 'volume',
  aws_db_snapshot: 'backup',
  aws_db_cluster_snapshot: 'backup',
  aws_docdb_cluster_snapshot: 'backup',
  aws_neptune_cluster_snapshot: 'backup',
  aws_ebs_snapshot: 'backup',
  aws_ebs_snapshot_copy: 'backup',
  aws_fsx_backup: 'backup',
  aws_memorydb_snapshot: 'backup',
  aws_backup_vault: 'backup',
  aws_db_instance_automated_backups_replication: 'backup',
  aws_vpc: 'network',
  aws_subnet: 'network',
  aws_ec2_transit_gateway: 'network',
  aws_route53_zone: 'dns',
  aws_kms_key: 'key',
  aws_kms_replica_key: 'key',
  aws_kms_external_key: 'key',
  aws_kms_replica_external_key: 'key',
  aws_iam_role: 'identity',
  aws_iam_user: 'identity',
  aws_iam_group: 'identity',
  aws_iam_policy: 'identity',
  aws_iam_role_policy: 'identity',
  aws_iam_user_policy: 'identity',
  aws_iam_group_policy: 'identity',
  aws_iam_openid_connect_provider: 'identity',
  aws_iam_saml_provider: 'identity',
  aws_eks_cluster: 'cluster',
  aws_ecs_cluster: 'cluster',
  aws_msk_cluster: 'cluster',
  aws_emr_cluster: 'cluster',

  // ── Google Cloud ──
  google_sql_database_instance: 'database',
  google_sql_database: 'database',
  google_spanner_instance: 'database',
  google_spanner_database: 'database',
  google_bigtable_instance: 'database',
  google_bigtable_table: 'database',
  google_firestore_database: 'database',
  google_bigquery_dataset: 'database',
  google_bigquery_table: 'database',
  google_redis_instance: 'database',
  google_alloydb_cluster: 'database',
  google_storage_bucket: 'storage',
  google_filestore_instance: 'storage',
  google_artifact_registry_repository: 'storage',
  google_compute_disk: 'volume',
  google_compute_region_disk: 'volume',
  google_compute_snapshot: 'backup',
  google_filestore_backup: 'backup',
  google_alloydb_backup: 'backup',
  google_backup_dr_backup_vault: 'backup',
  google_compute_network: 'network',
  google_compute_subnetwork: 'network',
  google_dns_managed_zone: 'dns',
  google_kms_key_ring: 'key',
  google_kms_crypto_key: 'key',
  google_service_account: 'identity',
  google_project_iam_custom_role: 'identity',
  google_organization_iam_custom_role: 'identity',
  google_project_iam_policy: 'identity',
  google_container_cluster: 'cluster',
  google_dataproc_cluster: 'cluster',

  // ── Azure ──
  azurerm_mssql_server: 'database',
  azurerm_mssql_database: 'database',
  azurerm_mssql_managed_instance: 'database',
  azurerm_sql_server: 'database',
  azurerm_sql_database: 'database',
  azurerm_postgresql_server: 'database',
  azurerm_postgresql_database: 'database',
  azurerm_postgresql_flexible_server: 'database',
  azurerm_postgresql_flexible_server_database: 'database',
  azurerm_mysql_server: 'database',
  azurerm_mysql_database: 'database',
  azurerm_mysql_flexible_server: 'database',
  azurerm_mysql_flexible_database: 'database',
  azurerm_mariadb_server: 'database',
  azurerm_cosmosdb_account: 'database',
  'azurerm_cosmosdb_*_database': 'database',
  azurerm_cosmosdb_cassandra_keyspace: 'database',
  azurerm_redis_cache: 'database',
  azurerm_storage_account: 'storage',
  azurerm_storage_container: 'storage',
  azurerm_storage_share: 'storage',
  azurerm_container_registry: 'storage',
  azurerm_managed_disk: 'volume',
  azurerm_snapshot: 'backup',
  azurerm_recovery_services_vault: 'backup',
  azurerm_data_protection_backup_vault: 'backup',
  azurerm_virtual_network: 'network',
  azurerm_subnet: 'network',
  azurerm_dns_zone: 'dns',
  azurerm_private_dns_zone: 'dns',
  azurerm_key_vault: 'key',
  azurerm_key_vault_key: 'key',
  azurerm_key_vault_managed_hardware_security_module: 'key',
  azurerm_user_assigned_identity: 'identity',
  azurerm_role_definition: 'identity',
  azuread_user: 'identity',
  azuread_group: 'identity',
  azuread_application: 'identity',
  azuread_service_principal: 'identity',
  azurerm_kubernetes_cluster: 'cluster',

  // ── Kubernetes ──
  'kubernetes_persistent_volume*': 'volume',
};

export type CriticalTypeMatcher = (type: string) => CriticalCategory | undefined;

function globPattern(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * The category of a resource type, or undefined when it is not critical. Extra entries win over
 * built-in ones for the same key, and their globs are tried first. Answers are memoised: a large
 * plan repeats a few dozen types thousands of times.
 */
export function criticalTypeMatcher(extra: Readonly<Record<string, CriticalCategory>> = {}): CriticalTypeMatcher {
  const exact = new Map<string, CriticalCategory>();
  const globs: [RegExp, CriticalCategory][] = [];
  for (const table of [extra, CRITICAL_TYPES]) {
    for (const [key, category] of Object.entries(table)) {
      if (key.includes('*')) globs.push([globPattern(key), category]);
      else if (!exact.has(key)) exact.set(key, category);
    }
  }
  const seen = new Map<string, CriticalCategory | undefined>();
  return (type) => {
    if (seen.has(type)) return seen.get(type);
    const category = exact.get(type) ?? globs.find(([pattern]) => pattern.test(type))?.[1];
    seen.set(type, category);
    return category;
  };
}
