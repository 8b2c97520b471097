;; The bulk instructions that take a length besides memory.copy and
;; memory.fill: memory.init from a passive data segment of 1,024 bytes,
;; and table.init, table.copy, table.fill and table.grow on a table of
;; function references. Each is one instruction whatever its length.
;; Built with `wat2wasm bulkinit.wat -o bulkinit.wasm` (wabt).
(module
  (memory (export "memory") 1)
  (global $unused (mut i32) (i32.const 0))
  (table $t 64 funcref)
  (data $blob "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
  (elem $refs func $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop)
  (func $nop)
  ;; n times memory.init of len bytes of the segment.
  (func (export "inits") (param $n i32) (param $len i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (memory.init $blob (i32.const 0) (i32.const 0) (local.get $len))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))
  ;; n times table.init, table.copy and table.fill of len entries.
  (func (export "tables") (param $n i32) (param $len i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (table.init $t $refs (i32.const 0) (i32.const 0) (local.get $len))
      (table.copy $t $t (i32.const 32) (i32.const 0) (local.get $len))
      (table.fill $t (i32.const 0) (ref.null func) (local.get $len))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))
  ;; table.grow by len entries, returning the old size.
  (func (export "grow") (param $len i32) (result i32)
    (table.grow $t (ref.null func) (local.get $len))))
