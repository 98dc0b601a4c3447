;; Memory-bound elementwise kernels on the tensor heap, four floats per instruction. Each gives
;; bit for bit what its JS kernel gives (same float32 operations; sums in float64, in the same
;; order). Addresses in bytes, counts in elements; [from, to) ranges let threads split the work.

  ;; out[i] = x[i] < 0 ? 0 : x[i] for i in [from, to) (NaN and -0 pass, as in the JS relu).
  (func (export "relu") (param $x i32) (param $out i32) (param $from i32) (param $to i32)
    (local $i i32) (local $vecEnd i32) (local $v v128) (local $s f32)
    (local.set $i (i32.shl (local.get $from) (i32.const 2)))
    (local.set $to (i32.shl (local.get $to) (i32.const 2)))
    (local.set $vecEnd (i32.add (local.get $i) (i32.and (i32.sub (local.get $to) (local.get $i)) (i32.const -16))))
    (block $doneV
      (loop $vectors
        (br_if $doneV (i32.ge_u (local.get $i) (local.get $vecEnd)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (v128.andnot (local.get $v) (f32x4.lt (local.get $v) (v128.const f32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    (block $doneS
      (loop $scalars
        (br_if $doneS (i32.ge_u (local.get $i) (local.get $to)))
        (local.set $s (f32.load (i32.add (local.get $x) (local.get $i))))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (select (f32.const 0) (local.get $s) (f32.lt (local.get $s) (f32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $scalars))))

  ;; out[i] = y[i] > 0 ? dy[i] : 0 for i in [from, to) (ReluGrad: y is the relu's output).
  (func (export "reluGrad") (param $dy i32) (param $y i32) (param $out i32) (param $from i32) (param $to i32)
    (local $i i32) (local $vecEnd i32)
    (local.set $i (i32.shl (local.get $from) (i32.const 2)))
    (local.set $to (i32.shl (local.get $to) (i32.const 2)))
    (local.set $vecEnd (i32.add (local.get $i) (i32.and (i32.sub (local.get $to) (local.get $i)) (i32.const -16))))
    (block $doneV
      (loop $vectors
        (br_if $doneV (i32.ge_u (local.get $i) (local.get $vecEnd)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (v128.and (v128.load (i32.add (local.get $dy) (local.get $i)))
            (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    (block $doneS
      (loop $scalars
        (br_if $doneS (i32.ge_u (local.get $i) (local.get $to)))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (select (f32.load (i32.add (local.get $dy) (local.get $i))) (f32.const 0)
            (f32.gt (f32.load (i32.add (local.get $y) (local.get $i))) (f32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $scalars))))

  ;; Rows [from, to) of out[r, c] = x[r, c] + bias[c] (row length $channels).
  (func (export "biasAdd") (param $x i32) (param $bias i32) (param $out i32) (param $channels i32) (param $from i32) (param $to i32)
    (local $row i32) (local $rowBytes i32) (local $c i32) (local $vecEnd i32) (local $src i32) (local $dst i32)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $rowBytes) (i32.const -16)))
    (local.set $row (local.get $from))
    (block $doneR
      (loop $rows
        (br_if $doneR (i32.ge_u (local.get $row) (local.get $to)))
        (local.set $src (i32.add (local.get $x) (i32.mul (local.get $row) (local.get $rowBytes))))
        (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $row) (local.get $rowBytes))))
        (local.set $c (i32.const 0))
        (block $doneV
          (loop $vectors
            (br_if $doneV (i32.ge_u (local.get $c) (local.get $vecEnd)))
            (v128.store (i32.add (local.get $dst) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $src) (local.get $c))) (v128.load (i32.add (local.get $bias) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $vectors)))
        (block $doneS
          (loop $scalars
            (br_if $doneS (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (f32.store (i32.add (local.get $dst) (local.get $c))
              (f32.add (f32.load (i32.add (local.get $src) (local.get $c))) (f32.load (i32.add (local.get $bias) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $scalars)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; acc[c] += x[r, c] for columns [c0, c1) of all $rows rows (row length $rowLength), in float64,
;; row after row: the JS kernels' in-order float64 sums. Threads take column ranges, so every sum
;; keeps that order whatever the split. $acc holds $rowLength doubles.
  (func (export "columnSums") (param $x i32) (param $acc i32) (param $rowLength i32) (param $c0 i32) (param $c1 i32) (param $rows i32)
    (local $row i32) (local $rowBytes i32) (local $c i32) (local $pairEnd i32) (local $src i32) (local $a i32)
    (local.set $rowBytes (i32.shl (local.get $rowLength) (i32.const 2)))
    (local.set $pairEnd (i32.add (local.get $c0) (i32.and (i32.sub (local.get $c1) (local.get $c0)) (i32.const -2))))
    (block $doneR
      (loop $eachRow
        (br_if $doneR (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $src (i32.add (local.get $x) (i32.mul (local.get $row) (local.get $rowBytes))))
        (local.set $c (local.get $c0))
        (block $doneP
          (loop $pairs
            (br_if $doneP (i32.ge_u (local.get $c) (local.get $pairEnd)))
            (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (v128.store (local.get $a)
              (f64x2.add (v128.load (local.get $a))
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_u (local.get $c) (local.get $c1))
          (then
            (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
              (f64.promote_f32 (f32.load (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2)))))))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $eachRow))))

  ;; out[c] = (float32) acc[c]: the rounding a Float32Array store does.
  (func (export "storeSums") (param $acc i32) (param $out i32) (param $channels i32)
    (local $c i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $c) (local.get $channels)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
          (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $each))))
