import { expectAllow, expectPause } from '../../helpers/engine';

/**
 * Interpreter one-liners that delete through a provider's API or with SQL: no shell command names
 * what goes, so only a reading of the code can pause them. Each row is one form; the allowed rows are
 * one-liners that use the same words for something that deletes nothing.
 */
const RULE = 'core.interpreter-api-deletes';

const DELETES: readonly (readonly [form: string, line: string])[] = [
  ['boto3 client method', `python3 -c "import boto3; boto3.client('rds').delete_db_instance(DBInstanceIdentifier='prod-db', SkipFinalSnapshot=True)"`],
  ['boto3 terminate', `python3 -c "import boto3; boto3.client('ec2').terminate_instances(InstanceIds=['i-1'])"`],
  ['boto3 resource collection', `python3 -c "import boto3; boto3.resource('s3').Bucket('prod-backups').objects.all().delete()"`],
  ['google-cloud object', `python3 -c "from google.cloud import storage; storage.Client().bucket('prod').delete(force=True)"`],
  ['requests DELETE', `python3 -c "import requests; requests.delete('https://api.heroku.com/apps/prod-app', headers={'Authorization': 'Bearer x'})"`],
  ['httpx DELETE by URL', `python -c "import httpx; httpx.Client().delete('https://api.fly.io/v1/apps/prod')"`],
  ['fetch with method DELETE', `node -e "fetch('https://api.vercel.com/v9/projects/prod', {method: 'DELETE', headers: {Authorization: 'Bearer ' + process.env.T}})"`],
  ['GraphQL delete mutation (Railway)', `node -e "fetch('https://backboard.railway.app/graphql/v2',{method:'POST',body:JSON.stringify({query:'mutation { volumeDelete(volumeId: \\"v1\\") }'})})"`],
  ['AWS SDK v3 command', `node -e "const {S3Client, DeleteBucketCommand}=require('@aws-sdk/client-s3'); new S3Client().send(new DeleteBucketCommand({Bucket:'b'}))"`],
  ['JavaScript SDK camelCase', `node -e "require('./neon').client.deleteProject('prod-project')"`],
  ['axios DELETE', `node -e "require('axios').delete('https://api.supabase.com/v1/projects/abc')"`],
  ['Ruby SDK', `ruby -e 'require "aws-sdk-s3"; Aws::S3::Client.new.delete_bucket(bucket: "prod-backups")'`],
  ['Active Record destroy_all', `ruby -e 'User.where(active: false).destroy_all'`],
  ['Ruby Net::HTTP DELETE', `ruby -e 'require "net/http"; Net::HTTP.start("api.example.com", 443) { |h| h.request(Net::HTTP::Delete.new("/v1/db/prod")) }'`],
  ['PHP curl DELETE', `php -r '$c = curl_init("https://api.example.com/v1/db/prod"); curl_setopt($c, CURLOPT_CUSTOMREQUEST, "DELETE"); curl_exec($c);'`],
  ['SQL DROP TABLE through a driver', `python3 -c "import sqlite3; sqlite3.connect('prod.db').execute('DROP TABLE users')"`],
  ['SQL DELETE without WHERE', `node -e "new (require('pg').Client)().query('DELETE FROM orders')"`],
  ['SQL UPDATE without WHERE', `python3 -c "c.execute('UPDATE users SET admin=1')"`],
  ['SQL TRUNCATE', `perl -e 'use DBI; DBI->connect("dbi:Pg:dbname=prod")->do("TRUNCATE TABLE events")'`],
  ['a script on stdin', `python3 <<'PY'\nimport boto3\nboto3.client('rds').delete_db_cluster(DBClusterIdentifier='prod')\nPY`],
];

const NOT_DELETES: readonly (readonly [form: string, line: string])[] = [
  ['arithmetic', `python3 -c "print(sum([1,2]))"`],
  ['a JavaScript Map', `node -e "const m=new Map([['a',1]]); m.delete('a'); console.log(m.size)"`],
  ['an event listener', `node -e "process.removeListener('exit', () => {})"`],
  ['pandas drop_duplicates', `python3 -c "import pandas as pd; pd.read_csv('a.csv').drop_duplicates().to_csv('b.csv')"`],
  ['a dict key named delete', `python3 -c "import json; print(json.dumps({'delete': True}))"`],
  ['an HTTP GET', `python3 -c "import requests; print(requests.get('https://example.com').status_code)"`],
  ['str.removeprefix', `python3 -c "print('abc'.removeprefix('a'))"`],
  ['a Ruby Hash delete', `ruby -e 'h = {a: 1}; h.delete(:a); p h'`],
  ['SQL DELETE with a WHERE', `python3 -c "c.execute('DELETE FROM t WHERE id = 3')"`],
  ['SQL SELECT', `python3 -c "c.execute('SELECT * FROM users')"`],
];

describe('engine: interpreter one-liners that delete through an API or with SQL', () => {
  for (const [form, line] of DELETES) it(`pauses: ${form}`, () => expectPause(line, RULE));
  for (const [form, line] of NOT_DELETES) it(`allows: ${form}`, () => expectAllow(line));
});
