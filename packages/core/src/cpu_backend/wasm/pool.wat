;; Max pooling (NHWC) that keeps each output's argmax, and its gradient from that argmax: the
;; WebAssembly twins of kernels/cpu/MaxPoolWithArgmax.ts and MaxPoolGradWithArgmax.ts, with the
;; same results. Images [n0, n1) let threads split the work (an image's argmax points into that
;; image only, so threads never write the same element).

  ;; For each output element: the largest window value (padding never wins; -inf for an empty
  ;; window) and the flat index of the first maximum in row-major window order (-1 if empty).
  ;; Four channels at a time; a channel count not divisible by 4 ends with scalar channels.
  (func (export "maxPoolArgmax")
    (param $x i32) (param $out i32) (param $argmax i32) (param $n0 i32) (param $n1 i32)
    (param $inH i32) (param $inW i32) (param $channels i32) (param $outH i32) (param $outW i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32)
    (local $iy i32) (local $ix i32) (local $c i32) (local $vecEnd i32) (local $dst i32) (local $pixel i32) (local $first i32)
    (local $value v128) (local $best v128) (local $bestIndex v128) (local $v v128) (local $more v128) (local $index v128)
    (local $sv f32) (local $sBest f32) (local $sIndex i32) (local $sArg f32) (local $at i32)
    (local.set $vecEnd (i32.and (local.get $channels) (i32.const -4)))
    (local.set $n (local.get $n0))
    (block $doneN (loop $images
      (br_if $doneN (i32.ge_u (local.get $n) (local.get $n1)))
      (local.set $oy (i32.const 0))
      (block $doneY (loop $outRows
        (br_if $doneY (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $y0 (call $clampLow (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $padTop))))
        (local.set $y1 (call $clampHigh (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $padTop)) (local.get $kh)) (local.get $inH)))
        (local.set $ox (i32.const 0))
        (block $doneX (loop $outCols
          (br_if $doneX (i32.ge_u (local.get $ox) (local.get $outW)))
          (local.set $x0 (call $clampLow (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $padLeft))))
          (local.set $x1 (call $clampHigh (i32.add (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $padLeft)) (local.get $kw)) (local.get $inW)))
          ;; element index of the output pixel's first channel
          (local.set $dst (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outH)) (local.get $oy)) (local.get $outW)) (local.get $ox)) (local.get $channels)))
          ;; element index of the window's first pixel (if the window is not empty)
          (local.set $first (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inH)) (local.get $y0)) (local.get $inW)) (local.get $x0)) (local.get $channels)))
          (local.set $c (i32.const 0))
          (block $doneC (loop $channelVectors
            (br_if $doneC (i32.ge_u (local.get $c) (local.get $vecEnd)))
            (local.set $value (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $bestIndex (v128.const i32x4 -1 -1 -1 -1))
            (if (i32.and (i32.lt_s (local.get $y0) (local.get $y1)) (i32.lt_s (local.get $x0) (local.get $x1)))
              (then
                ;; the argmax starts at the window's first element, whatever its value (as MaxPoolGrad does)
                (local.set $best (v128.load (i32.add (local.get $x) (i32.shl (i32.add (local.get $first) (local.get $c)) (i32.const 2)))))
                (local.set $bestIndex (i32x4.add (i32x4.splat (i32.add (local.get $first) (local.get $c))) (v128.const i32x4 0 1 2 3)))))
            (local.set $iy (local.get $y0))
            (block $doneWY (loop $windowRows
              (br_if $doneWY (i32.ge_s (local.get $iy) (local.get $y1)))
              (local.set $ix (local.get $x0))
              (block $doneWX (loop $windowCols
                (br_if $doneWX (i32.ge_s (local.get $ix) (local.get $x1)))
                (local.set $pixel (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inH)) (local.get $iy)) (local.get $inW)) (local.get $ix)) (local.get $channels)) (local.get $c)))
                (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $pixel) (i32.const 2)))))
                (local.set $value (v128.bitselect (local.get $v) (local.get $value) (f32x4.gt (local.get $v) (local.get $value))))
                (local.set $more (f32x4.gt (local.get $v) (local.get $best)))
                (local.set $index (i32x4.add (i32x4.splat (local.get $pixel)) (v128.const i32x4 0 1 2 3)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $more)))
                (local.set $bestIndex (v128.bitselect (local.get $index) (local.get $bestIndex) (local.get $more)))
                (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
                (br $windowCols)))
              (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
              (br $windowRows)))
            (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $dst) (local.get $c)) (i32.const 2))) (local.get $value))
            (v128.store (i32.add (local.get $argmax) (i32.shl (i32.add (local.get $dst) (local.get $c)) (i32.const 2))) (local.get $bestIndex))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $channelVectors)))
          ;; the remaining channels one at a time
          (block $doneSC (loop $scalarChannels
            (br_if $doneSC (i32.ge_u (local.get $c) (local.get $channels)))
            (local.set $sBest (f32.const -inf))
            (local.set $sIndex (i32.const -1))
            (local.set $iy (local.get $y0))
            (block $doneSY (loop $sRows
              (br_if $doneSY (i32.ge_s (local.get $iy) (local.get $y1)))
              (local.set $ix (local.get $x0))
              (block $doneSX (loop $sCols
                (br_if $doneSX (i32.ge_s (local.get $ix) (local.get $x1)))
                (local.set $at (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inH)) (local.get $iy)) (local.get $inW)) (local.get $ix)) (local.get $channels)) (local.get $c)))
                (local.set $sv (f32.load (i32.add (local.get $x) (i32.shl (local.get $at) (i32.const 2)))))
                (if (f32.gt (local.get $sv) (local.get $sBest)) (then (local.set $sBest (local.get $sv))))
                (if (i32.lt_s (local.get $sIndex) (i32.const 0))
                  (then (local.set $sIndex (local.get $at)) (local.set $sArg (local.get $sv)))
                  (else (if (f32.gt (local.get $sv) (local.get $sArg))
                    (then (local.set $sIndex (local.get $at)) (local.set $sArg (local.get $sv))))))
                (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
                (br $sCols)))
              (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
              (br $sRows)))
            (f32.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $dst) (local.get $c)) (i32.const 2))) (local.get $sBest))
            (i32.store (i32.add (local.get $argmax) (i32.shl (i32.add (local.get $dst) (local.get $c)) (i32.const 2))) (local.get $sIndex))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $scalarChannels)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $outCols)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $outRows)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images))))

  (func $clampLow (param $v i32) (result i32)
    (select (local.get $v) (i32.const 0) (i32.gt_s (local.get $v) (i32.const 0))))

  (func $clampHigh (param $v i32) (param $limit i32) (result i32)
    (select (local.get $v) (local.get $limit) (i32.lt_s (local.get $v) (local.get $limit))))

  ;; dx (elements [dxFrom, dxTo), zeroed here) gets dy[i] at argmax[i] for i in [dyFrom, dyTo);
  ;; with $reluMask only where x at that index is positive (the fused ReluGrad).
  (func (export "maxPoolGradArgmax")
    (param $dy i32) (param $argmax i32) (param $x i32) (param $dx i32)
    (param $dyFrom i32) (param $dyTo i32) (param $dxFrom i32) (param $dxTo i32) (param $reluMask i32)
    (local $i i32) (local $a i32) (local $cell i32)
    (memory.fill (i32.add (local.get $dx) (i32.shl (local.get $dxFrom) (i32.const 2))) (i32.const 0)
      (i32.shl (i32.sub (local.get $dxTo) (local.get $dxFrom)) (i32.const 2)))
    (local.set $i (local.get $dyFrom))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $dyTo)))
      (local.set $a (i32.load (i32.add (local.get $argmax) (i32.shl (local.get $i) (i32.const 2)))))
      (if (i32.and (i32.ge_s (local.get $a) (local.get $dxFrom)) (i32.lt_s (local.get $a) (local.get $dxTo)))
        (then
          (if (i32.or (i32.eqz (local.get $reluMask))
                (f32.gt (f32.load (i32.add (local.get $x) (i32.shl (local.get $a) (i32.const 2)))) (f32.const 0)))
            (then
              (local.set $cell (i32.add (local.get $dx) (i32.shl (local.get $a) (i32.const 2))))
              (f32.store (local.get $cell) (f32.add (f32.load (local.get $cell))
                (f32.load (i32.add (local.get $dy) (i32.shl (local.get $i) (i32.const 2))))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each))))
