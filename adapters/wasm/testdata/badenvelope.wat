;; A module whose handle returns text that is not an envelope. Built with
;; `wasm-as badenvelope.wat -o badenvelope.wasm` (binaryen).
(module
  (memory (export "memory") 1)
  (data (i32.const 2048) "not an envelope\00")
  (global $sp (mut i32) (i32.const 4096))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "setThrew") (param i32 i32))
  (func (export "stackSave") (result i32) (global.get $sp))
  (func (export "stackRestore") (param i32) (global.set $sp (local.get 0)))
  (func (export "main") (param i32 i32) (result i32) (i32.const 0))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 2048)))
