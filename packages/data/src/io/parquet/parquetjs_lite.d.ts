// parquetjs-lite ships no types; parquetjs_engine.ts describes the parts it uses.
declare module 'parquetjs-lite';
