;; A module whose handle writes 60,000 bytes to stdout with WASI's
;; fd_write a hundred thousand times: six gigabytes in as many loop
;; iterations, which only a charge by length stops within a budget of a
;; few million units. Built with `wat2wasm fdwrite.wat -o fdwrite.wasm`
;; (wabt).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 4096))
  ;; One iovec at 0: 60,000 bytes from 1024.
  (data (i32.const 0) "\00\04\00\00\60\ea\00\00")
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "setThrew") (param i32 i32))
  (func (export "stackSave") (result i32) (global.get $sp))
  (func (export "stackRestore") (param i32) (global.set $sp (local.get 0)))
  (func (export "main") (param i32 i32) (result i32) (i32.const 0))
  (func (export "handle") (param i32 i32) (result i32)
    (local $n i32)
    (local.set $n (i32.const 100000))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (i32.const 0)))
