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

  (func $zeroRun (param $dst i32) (param $bytes i32)
    (local $i i32) (local $vecEnd i32)
    (local.set $vecEnd (i32.and (local.get $bytes) (i32.const -16)))
    (block $doneV (loop $vectors
      (br_if $doneV (i32.ge_u (local.get $i) (local.get $vecEnd)))
      (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.const i32x4 0 0 0 0))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vectors)))
    (block $doneS (loop $scalars
      (br_if $doneS (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $scalars))))

  ;; Walks the patch rows [r0, r1): $add = 0 copies x into the patches (zeros for taps in the
  ;; padding), $add = 1 adds the patches back onto x (col2im; padding taps are skipped). The taps
  ;; of one window row that fall inside the image are adjacent pixels, so they move as one run of
  ;; (taps * channels) floats: a first layer's single channel costs a run per window row, not per tap.
  (func $walkPatches (param $x i32) (param $patches i32) (param $r0 i32) (param $r1 i32)
    (param $inH i32) (param $inW i32) (param $channels i32) (param $outH i32) (param $outW i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32) (param $add i32)
    (local $r i32) (local $pixels i32) (local $image i32) (local $p i32) (local $oy i32) (local $ox i32)
    (local $ky i32) (local $iy i32) (local $ix0 i32) (local $kxLo i32) (local $kxHi i32)
    (local $run i32) (local $rowBytes i32) (local $tap i32) (local $src i32) (local $dst i32) (local $bytes i32) (local $i i32)
    (local.set $pixels (i32.mul (local.get $outH) (local.get $outW)))
    (local.set $run (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $kw) (local.get $run)))
    (local.set $tap (local.get $patches))
    (local.set $r (local.get $r0))
    ;; Row r is pixel (oy, ox) of image: divided out once, then stepped (no division per row).
    (local.set $image (i32.div_u (local.get $r) (local.get $pixels)))
    (local.set $p (i32.sub (local.get $r) (i32.mul (local.get $image) (local.get $pixels))))
    (local.set $oy (i32.div_u (local.get $p) (local.get $outW)))
    (local.set $ox (i32.sub (local.get $p) (i32.mul (local.get $oy) (local.get $outW))))
    (block $doneR (loop $rows
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $r1)))
      ;; Window columns [kxLo, kxHi) fall inside the image (kxHi <= kxLo: none do).
      (local.set $ix0 (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $padLeft)))
      (local.set $kxLo (select (i32.sub (i32.const 0) (local.get $ix0)) (i32.const 0) (i32.lt_s (local.get $ix0) (i32.const 0))))
      (local.set $kxHi (i32.sub (local.get $inW) (local.get $ix0)))
      (if (i32.gt_s (local.get $kxHi) (local.get $kw)) (then (local.set $kxHi (local.get $kw))))
      (if (i32.lt_s (local.get $kxHi) (local.get $kxLo)) (then (local.set $kxHi (local.get $kxLo))))
      (local.set $ky (i32.const 0))
      (block $doneKY (loop $windowRows
        (br_if $doneKY (i32.ge_u (local.get $ky) (local.get $kh)))
        (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $padTop)) (local.get $ky)))
        (if (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $inH)))
          (then
            (local.set $src (i32.add (local.get $x) (i32.mul
              (i32.add (i32.mul (i32.add (i32.mul (local.get $image) (local.get $inH)) (local.get $iy)) (local.get $inW))
                       (i32.add (local.get $ix0) (local.get $kxLo)))
              (local.get $run))))
            (if (local.get $add)
              (then
                (call $addRun (local.get $src) (i32.add (local.get $tap) (i32.mul (local.get $kxLo) (local.get $run)))
                  (i32.mul (i32.sub (local.get $kxHi) (local.get $kxLo)) (local.get $run))))
              (else
                (if (local.get $kxLo) (then (call $zeroRun (local.get $tap) (i32.mul (local.get $kxLo) (local.get $run)))))
                (local.set $bytes (i32.mul (i32.sub (local.get $kxHi) (local.get $kxLo)) (local.get $run)))
                (local.set $dst (i32.add (local.get $tap) (i32.mul (local.get $kxLo) (local.get $run))))
                (if (i32.ge_u (local.get $bytes) (i32.const 16))
                  (then (call $copyRun (local.get $dst) (local.get $src) (local.get $bytes)))
                  (else
                    ;; A few floats (a first layer's window row): copied here, no call.
                    (local.set $i (i32.const 0))
                    (block $doneS (loop $scalars
                      (br_if $doneS (i32.ge_u (local.get $i) (local.get $bytes)))
                      (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (i32.add (local.get $src) (local.get $i))))
                      (local.set $i (i32.add (local.get $i) (i32.const 4)))
                      (br $scalars)))))
                (if (i32.lt_u (local.get $kxHi) (local.get $kw)) (then
                  (call $zeroRun (i32.add (local.get $tap) (i32.mul (local.get $kxHi) (local.get $run)))
                    (i32.mul (i32.sub (local.get $kw) (local.get $kxHi)) (local.get $run))))))))
          (else
            (if (i32.eqz (local.get $add)) (then (call $zeroRun (local.get $tap) (local.get $rowBytes))))))
        (local.set $tap (i32.add (local.get $tap) (local.get $rowBytes)))
        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
        (br $windowRows)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
      (if (i32.eq (local.get $ox) (local.get $outW)) (then
        (local.set $ox (i32.const 0))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (if (i32.eq (local.get $oy) (local.get $outH)) (then
          (local.set $oy (i32.const 0))
          (local.set $image (i32.add (local.get $image) (i32.const 1)))))))
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
