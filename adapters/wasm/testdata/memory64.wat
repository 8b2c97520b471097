;; A wasm64 (memory64) module that exercises every kind of memory
;; instruction the engine lowers to 32-bit addresses, and the handle ABI of
;; an AO module with i64 pointers. Built by testdata/memory64.sh (wabt's
;; wat2wasm --enable-memory64); the same script runs it under Node's
;; memory64 and writes memory64.expected, which the lowered module must
;; reproduce (TestLoweredMemory64MatchesNode).
(module
  (memory (export "memory") i64 2 100)
  (global $sp (mut i64) (i64.const 65536))
  (global $heap (mut i64) (i64.const 70000))
  (data (i64.const 1000) "hello, memory64\00")
  (data (i64.const 2000) "{\"ok\":true,\"response\":{\"Output\":\"")

  ;; --- scalar loads and stores, with offsets
  (func (export "store_load") (param $a i64) (param $v i64) (result i64)
    (i64.store offset=8 (local.get $a) (local.get $v))
    (i32.store8 offset=3 (local.get $a) (i32.const 0x7f))
    (i64.add
      (i64.load offset=8 (local.get $a))
      (i64.add
        (i64.load8_u offset=3 (local.get $a))
        (i64.extend_i32_u (i32.load16_u offset=9 (local.get $a))))))
  (func (export "floats") (param $a i64) (param $x f64) (result f64)
    (f64.store (local.get $a) (local.get $x))
    (f32.store offset=8 (local.get $a) (f32.demote_f64 (local.get $x)))
    (f64.add (f64.load (local.get $a))
             (f64.promote_f32 (f32.load offset=8 (local.get $a)))))
  (func (export "narrow") (param $a i64) (param $v i64) (result i64)
    (i64.store32 (local.get $a) (local.get $v))
    (i64.store16 offset=4 (local.get $a) (local.get $v))
    (i32.store16 offset=6 (local.get $a) (i32.wrap_i64 (local.get $v)))
    (i64.store8 offset=7 (local.get $a) (local.get $v))
    (i64.add (i64.load (local.get $a))
      (i64.add (i64.load32_s (local.get $a)) (i64.load16_s offset=6 (local.get $a)))))
  (func (export "peek") (param $a i64) (result i32) (i32.load8_u (local.get $a)))

  ;; --- memory.size, memory.grow, memory.copy, memory.fill
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param $n i64) (result i64) (memory.grow (local.get $n)))
  (func (export "copy_fill") (param $d i64) (param $s i64) (param $n i64) (result i64)
    (memory.fill (local.get $d) (i32.const 0x41) (i64.const 32))
    (memory.copy (local.get $d) (local.get $s) (local.get $n))
    (i64.load (local.get $d)))

  ;; --- SIMD loads and stores (emscripten's -msimd128 code uses them)
  (func (export "simd") (param $a i64) (result i64)
    (v128.store offset=16 (local.get $a)
      (i32x4.add (v128.load (local.get $a)) (v128.load32_splat offset=4 (local.get $a))))
    (v128.store64_lane 1 (local.get $a)
      (v128.load64_zero offset=16 (local.get $a)))
    (i64.add
      (i64x2.extract_lane 0 (v128.load64_lane offset=8 0 (local.get $a) (v128.const i64x2 0 0)))
      (i64x2.extract_lane 1 (v128.load8x8_u offset=16 (local.get $a)))))

  ;; --- the handle ABI with i64 pointers
  (func $strlen (param $p i64) (result i64) (local $n i64)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i64.add (local.get $p) (local.get $n)))))
      (local.set $n (i64.add (local.get $n) (i64.const 1)))
      (br $next)))
    (local.get $n))
  (func $malloc (export "malloc") (param $n i64) (result i64) (local $p i64)
    (local.set $p (global.get $heap))
    (global.set $heap (i64.add (global.get $heap) (i64.and (i64.add (local.get $n) (i64.const 15)) (i64.const -16))))
    (local.get $p))
  (func (export "free") (param i64))
  (func (export "setThrew") (param i64 i32))
  (func (export "stackSave") (result i64) (global.get $sp))
  (func (export "stackRestore") (param i64) (global.set $sp (local.get 0)))
  (func (export "main") (param i32 i64) (result i32) (i32.const 0))
  ;; handle(msg, env): an envelope whose Output is the byte lengths of
  ;; msg and env, "<msg>/<env>".
  (func (export "handle") (param $msg i64) (param $env i64) (result i64)
    (local $out i64) (local $at i64)
    (local.set $out (call $malloc (i64.const 128)))
    (memory.copy (local.get $out) (i64.const 2000) (i64.const 33))
    (local.set $at (call $decimal (i64.add (local.get $out) (i64.const 33)) (call $strlen (local.get $msg))))
    (i32.store8 (local.get $at) (i32.const 0x2f))
    (local.set $at (call $decimal (i64.add (local.get $at) (i64.const 1)) (call $strlen (local.get $env))))
    (i32.store (local.get $at) (i32.const 0x007d7d22)) ;; "}} and NUL
    (local.get $out))
  ;; decimal writes v in decimal at p and returns the end.
  (func $decimal (param $p i64) (param $v i64) (result i64) (local $d i64) (local $q i64)
    (local.set $d (i64.const 1))
    (local.set $q (local.get $v))
    (block $x (loop $l
      (br_if $x (i64.lt_u (local.get $q) (i64.const 10)))
      (local.set $q (i64.div_u (local.get $q) (i64.const 10)))
      (local.set $d (i64.add (local.get $d) (i64.const 1)))
      (br $l)))
    (local.set $q (i64.add (local.get $p) (local.get $d)))
    (loop $w
      (local.set $q (i64.sub (local.get $q) (i64.const 1)))
      (i64.store8 (local.get $q) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $w (i64.ne (local.get $q) (local.get $p))))
    (i64.add (local.get $p) (local.get $d))))
