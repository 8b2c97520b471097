;; loads64.wat's loop on a 32-bit memory (the baseline of BenchmarkLoweredLoads).
(module
  (memory (export "memory") 1)
  (func (export "sum") (param $n i64) (result i64) (local $i i64) (local $s i64)
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i64.add (i64.add (local.get $s) (i64.const 1))
        (i64.load8_u (i32.wrap_i64 (i64.and (local.get $i) (i64.const 0xFFFF))))))
      (i64.store8 offset=1 (i32.wrap_i64 (i64.and (local.get $i) (i64.const 0x7FFF))) (local.get $s))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (local.get $s)))
