import { UnimplementedError } from '@tsflow/core';
import type { ColumnChunkInfo, ParquetFooter } from './footer.js';

/**
 * Parquet modular encryption with a plaintext footer: the schema is readable, the encrypted
 * columns are not (tsflow holds no keys). Says so, names those columns, and lets the others
 * be read. (An encrypted footer, magic `PARE`, is refused when the footer is read.)
 * @internal
 */
export function refuseEncrypted(footer: ParquetFooter, projected: readonly ColumnChunkInfo[]): void {
  if (!footer.encrypted) return;
  const encrypted = projected.filter((chunk) => chunk.encrypted).map((chunk) => chunk.path);
  if (encrypted.length === 0) return;
  const readable =
    footer.rowGroups[0]?.chunks.filter((chunk) => !chunk.encrypted).map((chunk) => chunk.path.split('.')[0]!) ?? [];
  const others =
    readable.length === 0
      ? ''
      : `; the unencrypted columns can be read with { columns: ${JSON.stringify([...new Set(readable)])} }`;
  throw new UnimplementedError(
    `Parquet file '${footer.path}' is encrypted (Parquet modular encryption, plaintext footer): column${encrypted.length === 1 ? '' : 's'} ${encrypted.map((name) => `'${name}'`).join(', ')} ${encrypted.length === 1 ? 'is' : 'are'} encrypted, and tsflow does not decrypt${others}`,
  );
}
