import { spawn } from 'node:child_process';
import { Secret } from '../../../src/core/backup/dataTarget';
import { backUp, restore } from '../../../src/node/backup/backUp';
import { PASSWORD, startMariadb } from './servers';
import { describeServerBackup, type ServerUnderTest } from './serverSuite';

describeServerBackup('MariaDB backup and restore against a real server', async (): Promise<ServerUnderTest | string> => {
  const server = await startMariadb();
  if (typeof server === 'string') return server;
  const sql = server.sql;
  return {
    version: `MariaDB ${server.version}`,
    port: server.port,
    dumpTool: 'mariadb-dump',
    adminDatabase: 'mysql',
    target: (database, password = PASSWORD, port = server.port) => ({ engine: 'mysql', host: '127.0.0.1', port, user: 'backup', database, password: new Secret(password) }),
    sql,
    dropLine: (database) => ({ line: `mysql -h 127.0.0.1 -P ${server.port} -u backup -p${PASSWORD} -e 'DROP DATABASE ${database}'`, env: {} }),
    makeShop(name) {
      sql('mysql', `DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name}`);
      sql(name, "CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT); INSERT INTO customers (name) SELECT CONCAT('c', seq) FROM seq_1_to_250");
      sql(name, 'CREATE TABLE invoices (id INT, amount DECIMAL(10,2)); INSERT INTO invoices SELECT seq, seq * 1.5 FROM seq_1_to_40');
      sql(name, 'CREATE TABLE `Odd ``Name``` (x INT); INSERT INTO `Odd ``Name``` VALUES (1), (2), (3)');
      sql(name, "CREATE TRIGGER stamp BEFORE INSERT ON invoices FOR EACH ROW SET NEW.amount = NEW.amount");
    },
    shopTables: [
      { table: 'Odd `Name`', rows: 3 },
      { table: 'customers', rows: 250 },
      { table: 'invoices', rows: 40 },
    ],
    addNoise: (database) => void sql(database, 'CREATE TABLE noise AS SELECT CONCAT(MD5(seq), MD5(seq * 7)) AS t FROM seq_1_to_20000'),
    holdLock: (database) => spawn('mariadb', ['--no-defaults', `--socket=${server.socket}`, '-uroot', '-e', 'LOCK TABLES customers WRITE; SELECT SLEEP(30)', database], { stdio: 'ignore' }),
    scratchDatabases: () => sql('mysql', "SHOW DATABASES LIKE 'countersign\\_verify\\_%'").split('\n').filter(Boolean),
    stop: () => server.stop(),
    backUp,
    restore,
  };
});
