import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** DuckDB (an engine independent of tsflow) writes the inputs and checks the outputs of job tests. */
export class DuckDbChecks {
  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(): Promise<DuckDbChecks> {
    // One thread: DuckDB then writes the same row groups every run.
    return new DuckDbChecks(await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect());
  }

  /** Rows `id` in [first, first + rows) with a double `value` and a string `key`, in row groups of `rowGroupSize`. */
  async writeInput(path: string, first: number, rows: number, rowGroupSize: number): Promise<void> {
    await this.connection.run(
      `COPY (SELECT i::INTEGER AS id, ((i * 7919) % 1000) / 8.0 AS value, 'k' || (i % 13) AS key FROM range(${first}, ${first + rows}) t(i) ORDER BY i)
       TO '${quote(path)}' (FORMAT parquet, ROW_GROUP_SIZE ${rowGroupSize}, COMPRESSION snappy)`,
    );
  }

  /**
   * Row count, distinct ids and an order-independent checksum of each column, over `select`
   * (which reads `{files}`, replaced by a read_parquet of the files). Equal summaries of the
   * inputs (transformed in SQL) and the outputs mean every row is there exactly once.
   */
  async summary(files: readonly string[], select: string): Promise<Record<string, string>> {
    const source = `read_parquet([${files.map((file) => `'${quote(file)}'`).join(', ')}])`;
    const sql = `SELECT count(*)::VARCHAR AS rows, count(DISTINCT id)::VARCHAR AS ids,
        sum(hash(id::BIGINT))::VARCHAR AS id_sum, sum(hash(value::DOUBLE))::VARCHAR AS value_sum, sum(hash(key::VARCHAR))::VARCHAR AS key_sum
      FROM (${select.replace('{files}', source)})`;
    const [row] = (await this.connection.runAndReadAll(sql)).getRowObjectsJS();
    return row as Record<string, string>;
  }

  /** Rows of one file in DuckDB's reading. */
  async count(files: readonly string[]): Promise<number> {
    const source = `read_parquet([${files.map((file) => `'${quote(file)}'`).join(', ')}])`;
    const [row] = (
      await this.connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${source}`)
    ).getRowObjectsJS();
    return Number(row!['n']);
  }

  /** The first row of a query, as JS values. */
  async query(sql: string): Promise<Record<string, unknown>> {
    const [row] = (await this.connection.runAndReadAll(sql)).getRowObjectsJS();
    return row as Record<string, unknown>;
  }

  /** Rows of each row group of a Parquet file, as DuckDB reads its footer. */
  async rowGroups(file: string): Promise<number[]> {
    const sql = `SELECT DISTINCT row_group_id, row_group_num_rows::INTEGER AS n FROM parquet_metadata('${quote(file)}') ORDER BY row_group_id`;
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJS().map((row) => Number(row['n']));
  }

  close(): void {
    this.connection.closeSync();
  }
}

function quote(path: string): string {
  return path.replaceAll("'", "''");
}
