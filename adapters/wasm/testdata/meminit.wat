;; A module whose handle copies a passive data segment of 1,024 bytes
;; into memory a million times with memory.init: a gigabyte of copying in
;; a million loop iterations, which only a charge by length stops within
;; a budget of a few million units. Built with
;; `wat2wasm meminit.wat -o meminit.wasm` (wabt).
(module
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 4096))
  (data $blob "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "setThrew") (param i32 i32))
  (func (export "stackSave") (result i32) (global.get $sp))
  (func (export "stackRestore") (param i32) (global.set $sp (local.get 0)))
  (func (export "main") (param i32 i32) (result i32) (i32.const 0))
  (func (export "handle") (param i32 i32) (result i32)
    (local $n i32)
    (local.set $n (i32.const 1000000))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (memory.init $blob (i32.const 8192) (i32.const 0) (i32.const 1024))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (i32.const 0)))
