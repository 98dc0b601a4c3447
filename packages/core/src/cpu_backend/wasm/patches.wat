;; im2col and col2im by rows of the patch matrix (see kernels/cpu/conv_patches.ts, whose results
;; these equal): row r is output pixel r % (outH*outW) of image r / (outH*outW); its kh*kw taps
;; are runs of `channels` floats. Rows [r0, r1) let threads split the work; patch row r0 is at
;; $patches. col2im's threads must take whole images (rows of one image add onto shared pixels).

  (func $copyRun (param $dst i32) (param $src i32) (param $bytes i32)
    (local $i i32) (local $vecEnd i32)
    (local.set $vecEnd (i32.and (local.get $bytes) (i32.const -16)))
    (block $doneV (loop $vectors
      (br_if $doneV (i32.ge_u (local.get $i) (local.get $vecEnd)))
      (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.load (i32.add (local.get $src) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vectors)))
    (block $doneS (loop $scalars
      (br_if $doneS (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (i32.add (local.get $src) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $scalars))))

  (func $addRun (param $dst i32) (param $src i32) (param $bytes i32)
    (local $i i32) (local $vecEnd i32)
    (local.set $vecEnd (i32.and (local.get $bytes) (i32.const -16)))
    (block $doneV (loop $vectors
      (br_if $doneV (i32.ge_u (local.get $i) (local.get $vecEnd)))
      (v128.store (i32.add (local.get $dst) (local.get $i))
        (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $i))) (v128.load (i32.add (local.get $src) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vectors)))
    (block $doneS (loop $scalars
      (br_if $doneS (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $dst) (local.get $i))
        (f32.add (f32.load (i32.add (local.get $dst) (local.get $i))) (f32.load (i32.add (local.get $src) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $scalars))))

  ;; Walks the taps of patch rows [r0, r1): $add = 0 copies x into the patches (zeros for taps in
  ;; the padding), $add = 1 adds the patches back onto x (col2im; padding taps are skipped).
  (func $walkPatches (param $x i32) (param $patches i32) (param $r0 i32) (param $r1 i32)
    (param $inH i32) (param $inW i32) (param $channels i32) (param $outH i32) (param $outW i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32) (param $add i32)
    (local $r i32) (local $pixels i32) (local $image i32) (local $p i32) (local $oy i32) (local $ox i32)
    (local $ky i32) (local $kx i32) (local $iy i32) (local $ix i32) (local $run i32) (local $tap i32) (local $src i32)
    (local.set $pixels (i32.mul (local.get $outH) (local.get $outW)))
    (local.set $run (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $tap (local.get $patches))
    (local.set $r (local.get $r0))
    (block $doneR (loop $rows
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $image (i32.div_u (local.get $r) (local.get $pixels)))
      (local.set $p (i32.sub (local.get $r) (i32.mul (local.get $image) (local.get $pixels))))
      (local.set $oy (i32.div_u (local.get $p) (local.get $outW)))
      (local.set $ox (i32.sub (local.get $p) (i32.mul (local.get $oy) (local.get $outW))))
      (local.set $ky (i32.const 0))
      (block $doneKY (loop $tapRows
        (br_if $doneKY (i32.ge_u (local.get $ky) (local.get $kh)))
        (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $padTop)) (local.get $ky)))
        (local.set $kx (i32.const 0))
        (block $doneKX (loop $tapCols
          (br_if $doneKX (i32.ge_u (local.get $kx) (local.get $kw)))
          (local.set $ix (i32.add (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $padLeft)) (local.get $kx)))
          (if (i32.and (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $inH)))
                       (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $inW))))
            (then
              (local.set $src (i32.add (local.get $x) (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $image) (local.get $inH)) (local.get $iy)) (local.get $inW)) (local.get $ix)) (local.get $run))))
              (if (local.get $add)
                (then (call $addRun (local.get $src) (local.get $tap) (local.get $run)))
                (else (call $copyRun (local.get $tap) (local.get $src) (local.get $run)))))
            (else
              (if (i32.eqz (local.get $add)) (then (memory.fill (local.get $tap) (i32.const 0) (local.get $run))))))
          (local.set $tap (i32.add (local.get $tap) (local.get $run)))
          (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
          (br $tapCols)))
        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
        (br $tapRows)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  (func (export "im2col") (param $x i32) (param $patches i32) (param $r0 i32) (param $r1 i32)
    (param $inH i32) (param $inW i32) (param $channels i32) (param $outH i32) (param $outW i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32)
    (call $walkPatches (local.get $x) (local.get $patches) (local.get $r0) (local.get $r1) (local.get $inH) (local.get $inW)
      (local.get $channels) (local.get $outH) (local.get $outW) (local.get $kh) (local.get $kw) (local.get $sh) (local.get $sw)
      (local.get $padTop) (local.get $padLeft) (i32.const 0)))

  (func (export "col2im") (param $patches i32) (param $dx i32) (param $r0 i32) (param $r1 i32)
    (param $inH i32) (param $inW i32) (param $channels i32) (param $outH i32) (param $outW i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32)
    (call $walkPatches (local.get $dx) (local.get $patches) (local.get $r0) (local.get $r1) (local.get $inH) (local.get $inW)
      (local.get $channels) (local.get $outH) (local.get $outW) (local.get $kh) (local.get $kw) (local.get $sh) (local.get $sw)
      (local.get $padTop) (local.get $padLeft) (i32.const 1)))
