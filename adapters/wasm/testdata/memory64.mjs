// Runs memory64.calls on memory64.wasm under Node's own memory64 (the
// reference) and prints one result per call, as the Go test formats them.
import { readFileSync } from "node:fs";
const dir = new URL(".", import.meta.url);
const bytes = readFileSync(new URL("memory64.wasm", dir));
const { instance } = await WebAssembly.instantiate(bytes, {});
for (const line of readFileSync(new URL("memory64.calls", dir), "utf8").split("\n")) {
  if (line.trim() === "" || line.startsWith("#")) continue;
  const [fn, ...args] = line.trim().split(/\s+/);
  const vals = args.map((a) => {
    const [t, v] = a.split(":");
    return t === "i64" ? BigInt.asIntN(64, BigInt(v)) : Number(v);
  });
  let out;
  try {
    const r = instance.exports[fn](...vals);
    out = r === undefined ? "" : String(r);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    out = "trap";
  }
  console.log(`${line.trim()} => ${out}`);
}
