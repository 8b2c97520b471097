// Runs the compiled AO module under Node.js with the messages the wasm
// engine's BenchmarkHandle sends, and prints the time per message: the
// Node.js side of scripts/bench-node.sh.
//
// Usage: node scripts/bench-node.mjs <module.wasm> <workload.json> [messages]
//
// The host is written here: the imports of an emscripten module as
// emscripten's own JavaScript provides them (invoke_* calls the table entry
// inside try/catch and answers a longjmp with setThrew(1, 0); the heap grows
// on request; clocks are the message's Timestamp, as in the wasm engine).
// Per message it does what a loader does: the message and env as JSON, copied
// into memory the module allocates, handle called, the result read and
// parsed, both buffers freed.
import { readFileSync } from "node:fs";

const [wasmPath, workloadPath, countArg] = process.argv.slice(2);
if (!wasmPath || !workloadPath) {
  console.error("usage: node scripts/bench-node.mjs <module.wasm> <workload.json> [messages]");
  process.exit(2);
}
const count = Number(countArg || 2000);
const workload = JSON.parse(readFileSync(workloadPath, "utf8"));

// What _emscripten_throw_longjmp throws; invoke_* catches only this.
const longjmp = { longjmp: true };
let ex; // the instance's exports
let mem = () => new Uint8Array(ex.memory.buffer);
let view = () => new DataView(ex.memory.buffer);
let nowMs = 0;
let tempRet0 = 0;
const output = [];

const env = {
  abort: () => { throw new Error("the module aborted"); },
  getTempRet0: () => tempRet0,
  setTempRet0: (v) => { tempRet0 = v; },
  invoke_vii: (index, a, b) => {
    const sp = ex.stackSave();
    try {
      ex.__indirect_function_table.get(index)(a, b);
    } catch (e) {
      if (e !== longjmp) throw e;
      ex.stackRestore(sp);
      ex.setThrew(1, 0);
    }
  },
  _emscripten_throw_longjmp: () => { throw longjmp; },
  clock: () => 0,
  time: (ptr) => {
    const sec = Math.floor(nowMs / 1000);
    if (ptr) view().setUint32(ptr, sec, true);
    return sec;
  },
  __clock_gettime: (clk, ptr) => {
    view().setUint32(ptr, Math.floor(nowMs / 1000), true);
    view().setUint32(ptr + 4, (nowMs % 1000) * 1e6, true);
    return 0;
  },
  difftime: (a, b) => a - b,
  strftime: () => 0,
  system: () => 0,
  exit: (code) => { throw new Error("the module exited with " + code); },
  emscripten_memcpy_big: (dest, src, n) => { mem().copyWithin(dest, src, src + n); },
  emscripten_resize_heap: (size) => {
    const have = ex.memory.buffer.byteLength;
    const pages = Math.ceil((size >>> 0) / 65536) - have / 65536;
    if (pages > 0) {
      try { ex.memory.grow(pages); } catch { return 0; }
    }
    return 1;
  },
  _tzset_js: () => {},
  _mktime_js: () => 0,
  _localtime_js: (t, tm) => { mem().fill(0, tm, tm + 44); },
  _gmtime_js: (t, tm) => { mem().fill(0, tm, tm + 44); },
  __syscall_open: () => -44, // ENOENT
  __syscall_fcntl64: () => -52, // ENOSYS
  __syscall_ioctl: () => -52,
  __syscall_dup3: () => -52,
  __syscall_unlink: () => -52,
  __syscall_rmdir: () => -52,
  __syscall_rename: () => -52,
  __syscall_lstat64: () => -52,
};

const wasi = {
  fd_write: (fd, iovs, n, written) => {
    const v = view();
    let total = 0;
    for (let i = 0; i < n; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      if (fd === 1 || fd === 2) output.push(Buffer.from(mem().subarray(ptr, ptr + len)).toString());
      total += len;
    }
    v.setUint32(written, total, true);
    return 0;
  },
  fd_read: (fd, iovs, n, read) => { view().setUint32(read, 0, true); return 0; },
  fd_close: () => 0,
  fd_seek: () => 70, // ESPIPE
  environ_sizes_get: (count, size) => { view().setUint32(count, 0, true); view().setUint32(size, 0, true); return 0; },
  environ_get: () => 0,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// cstring copies text into memory the module allocates, NUL-terminated.
function cstring(text) {
  const bytes = encoder.encode(text);
  const ptr = ex.malloc(bytes.length + 1);
  if (!ptr) throw new Error("malloc failed");
  const m = mem();
  m.set(bytes, ptr);
  m[ptr + bytes.length] = 0;
  return ptr;
}

function readCString(ptr) {
  const m = mem();
  let end = ptr;
  while (m[end] !== 0) end++;
  return decoder.decode(m.subarray(ptr, end));
}

// handle sends one message (objects) and returns the parsed envelope.
function handle(msg, envObj) {
  nowMs = msg.Timestamp;
  ex.work_limit(workload.maxWork);
  const mp = cstring(JSON.stringify(msg));
  const ep = cstring(JSON.stringify(envObj));
  const out = JSON.parse(readCString(ex.handle(mp, ep)));
  ex.free(mp);
  ex.free(ep);
  return out;
}

const t0 = process.hrtime.bigint();
const module = new WebAssembly.Module(readFileSync(wasmPath));
const t1 = process.hrtime.bigint();
ex = new WebAssembly.Instance(module, { env, wasi_snapshot_preview1: wasi }).exports;
ex.__wasm_call_ctors();
if (ex.main(0, 0) !== 0) throw new Error("main failed: " + output.join(""));
const t2 = process.hrtime.bigint();
{
  const n = cstring(workload.setup.name);
  const s = cstring(workload.setup.source);
  if (!ex.setup(n, s)) throw new Error("setup failed");
  ex.free(n);
  ex.free(s);
}
const spawn = handle(JSON.parse(workload.spawn.Msg), JSON.parse(workload.spawn.Env));
if (!spawn.ok) throw new Error("spawn failed: " + JSON.stringify(spawn));

console.log(`node ${process.version}: compile ${Number(t1 - t0) / 1e6} ms, instantiate and boot ${Number(t2 - t1) / 1e6} ms`);
for (const action of ["Register", "QueryDomain"]) {
  const msg = JSON.parse(workload[action].Msg);
  const envObj = JSON.parse(workload[action].Env);
  const check = (r) => {
    if (!r.ok || r.response.Error || r.response.Messages.length !== 1) {
      throw new Error(action + ": " + JSON.stringify(r));
    }
  };
  for (let i = 0; i < Math.min(200, count); i++) check(handle(msg, envObj)); // warm-up
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < count; i++) check(handle(msg, envObj));
  const ns = Number(process.hrtime.bigint() - start) / count;
  const cpu = process.cpuUsage(cpu0); // microseconds, every thread
  const cpuPerOp = (cpu.user + cpu.system) / count;
  console.log(`NodeHandle/${action}\t${count}\t${Math.round(ns)} ns/op\t${(1e9 / ns).toFixed(1)} msgs/s\t${cpuPerOp.toFixed(0)} cpu-µs/op`);
}
