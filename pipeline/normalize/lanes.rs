//! BLAKE3's compression function (the specification, §2.2) on one block of each of many rows
//! at once, each with its own chaining value, length and flags: the blocks of the rows'
//! identities (`identity::fill`), short inputs the `blake3` crate hashes one at a time (its
//! many-input function is hidden and takes whole 64-byte blocks only). Written once over a
//! trait of vector operations (`Words`), one lane a row, and compiled for the vectors the CPU
//! has (`Kernel`): 16 lanes in AVX-512's registers, 8 in AVX2's, 8 as plain code elsewhere
//! (which the compiler vectorizes for SSE2 or NEON). `tests` compare every length of a block
//! and kernel with `blake3::hash` and `blake3::keyed_hash`, and
//! `identity::tests::same_as_blake3_hash` every length up to past a chunk.

/// BLAKE3's initial chaining value (the specification, §2.1).
pub const IV: [u32; 8] = [
    0x6A09_E667,
    0xBB67_AE85,
    0x3C6E_F372,
    0xA54F_F53A,
    0x510E_527F,
    0x9B05_688C,
    0x1F83_D9AB,
    0x5BE0_CD19,
];

/// The message permutation applied between rounds (the specification, §2.2).
const PERMUTATION: [usize; 16] = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];

/// Which message word each round's position takes: the permutation applied once a round.
const SCHEDULE: [[usize; 16]; 7] = {
    let mut s = [[0; 16]; 7];
    let mut i = 0;
    while i < 16 {
        s[0][i] = i;
        i += 1;
    }
    let mut r = 1;
    while r < 7 {
        let mut i = 0;
        while i < 16 {
            s[r][i] = s[r - 1][PERMUTATION[i]];
            i += 1;
        }
        r += 1;
    }
    s
};

/// For a block of each length, the bits of each of its words that hold its bytes.
const KEEP: [[u32; 16]; 65] = {
    let mut k = [[0; 16]; 65];
    let mut len: usize = 0;
    while len <= 64 {
        let mut w = 0;
        while w < 16 {
            let n = len.saturating_sub(4 * w);
            k[len][w] = if n >= 4 {
                u32::MAX
            } else {
                (1u32 << (8 * n)) - 1
            };
            w += 1;
        }
        len += 1;
    }
    k
};

/// One block of each of `L` rows, word by word (`cv[w][lane]`): what a compression takes
/// (chaining value, message, block length, flags; the counter is 0, every row one chunk) and,
/// in `cv`, what it gives.
pub struct Lanes<const L: usize> {
    pub cv: [[u32; L]; 8],
    pub m: [[u32; L]; 16],
    pub len: [u32; L],
    pub flags: [u32; L],
}

impl<const L: usize> Default for Lanes<L> {
    fn default() -> Self {
        Lanes {
            cv: [[0; L]; 8],
            m: [[0; L]; 16],
            len: [0; L],
            flags: [0; L],
        }
    }
}

impl<const L: usize> Lanes<L> {
    /// Lane `lane`'s chaining value (what the lane's last compression left there otherwise).
    #[inline(always)]
    pub fn set_cv(&mut self, lane: usize, cv: &[u32; 8]) {
        for (w, word) in cv.iter().enumerate() {
            self.cv[w][lane] = *word;
        }
    }

    /// Lane `lane`'s block, its first `len` bytes (of the 64 given: the rest is taken as
    /// zeros, as BLAKE3 pads a short block), and flags.
    #[inline(always)]
    pub fn set(&mut self, lane: usize, block: &[u8; 64], len: usize, flags: u8) {
        let keep = &KEEP[len.min(64)];
        for (w, m) in self.m.iter_mut().enumerate() {
            let word = u32::from_le_bytes(block[4 * w..4 * w + 4].try_into().expect("4 bytes"));
            m[lane] = word & keep[w];
        }
        self.len[lane] = len as u32;
        self.flags[lane] = flags.into();
    }

    /// Lane `lane`'s block of 64 bytes (not its last), and flags.
    #[inline(always)]
    pub fn set_full(&mut self, lane: usize, block: &[u8; 64], flags: u8) {
        for (w, m) in self.m.iter_mut().enumerate() {
            m[lane] = u32::from_le_bytes(block[4 * w..4 * w + 4].try_into().expect("4 bytes"));
        }
        self.len[lane] = 64;
        self.flags[lane] = flags.into();
    }

    /// Lane `lane`'s first 16 bytes of output (the chaining value's first four words).
    pub fn first_16(&self, lane: usize) -> [u8; 16] {
        let mut k = [0u8; 16];
        for w in 0..4 {
            k[4 * w..4 * w + 4].copy_from_slice(&self.cv[w][lane].to_le_bytes());
        }
        k
    }
}

/// The code `compress` runs: the widest the CPU has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// 8 lanes, compiled for the target's baseline (SSE2 on x86-64, NEON on AArch64).
    Plain,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Kernel {
    pub fn detect() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return Kernel::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                return Kernel::Avx2;
            }
        }
        Kernel::Plain
    }

    /// Every kernel this CPU can run, the plain one first.
    pub fn all() -> Vec<Kernel> {
        let mut all = vec![Kernel::Plain];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                all.push(Kernel::Avx2);
            }
            if std::arch::is_x86_feature_detected!("avx512f") {
                all.push(Kernel::Avx512);
            }
        }
        all
    }

    /// Rows compressed at once.
    pub fn lanes(self) -> usize {
        match self {
            Kernel::Plain => 8,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => 8,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => 16,
        }
    }
}

/// Compresses 8 lanes with the plain code.
pub fn compress_plain(x: &mut Lanes<8>) {
    // SAFETY: `Plain` is plain Rust.
    unsafe { compress::<Plain, 8>(x) }
}

/// Compresses 8 lanes with AVX2.
///
/// # Safety
/// The CPU has AVX2 (`Kernel::detect`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub unsafe fn compress_avx2(x: &mut Lanes<8>) {
    compress::<x86::Avx2, 8>(x)
}

/// Compresses 16 lanes with AVX-512.
///
/// # Safety
/// The CPU has AVX-512F (`Kernel::detect`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
pub unsafe fn compress_avx512(x: &mut Lanes<16>) {
    compress::<x86::Avx512, 16>(x)
}

/// A vector of `L` words, one a lane, and what BLAKE3 does with them.
///
/// # Safety
/// A type's functions run only where the CPU has its features (inside a function compiled
/// for them); `load` and `store` take `L` words.
trait Words: Copy {
    unsafe fn load(p: *const u32) -> Self;
    unsafe fn store(self, p: *mut u32);
    unsafe fn splat(x: u32) -> Self;
    unsafe fn add(self, o: Self) -> Self;
    unsafe fn xor(self, o: Self) -> Self;
    unsafe fn rotr16(self) -> Self;
    unsafe fn rotr12(self) -> Self;
    unsafe fn rotr8(self) -> Self;
    unsafe fn rotr7(self) -> Self;
}

/// Every lane's block compressed into its chaining value (the first 8 words of the output),
/// `L` words a vector `V`.
///
/// # Safety
/// `V` holds `L` words and the CPU has its features.
#[inline(always)]
unsafe fn compress<V: Words, const L: usize>(x: &mut Lanes<L>) {
    unsafe {
        let ld = |a: &[u32; L]| V::load(a.as_ptr());
        let zero = V::splat(0);
        let mut v: [V; 16] = [
            ld(&x.cv[0]),
            ld(&x.cv[1]),
            ld(&x.cv[2]),
            ld(&x.cv[3]),
            ld(&x.cv[4]),
            ld(&x.cv[5]),
            ld(&x.cv[6]),
            ld(&x.cv[7]),
            V::splat(IV[0]),
            V::splat(IV[1]),
            V::splat(IV[2]),
            V::splat(IV[3]),
            // The counter: 0.
            zero,
            zero,
            ld(&x.len),
            ld(&x.flags),
        ];
        let m: [V; 16] = std::array::from_fn(|i| ld(&x.m[i]));
        for s in &SCHEDULE {
            g(&mut v, [0, 4, 8, 12], m[s[0]], m[s[1]]);
            g(&mut v, [1, 5, 9, 13], m[s[2]], m[s[3]]);
            g(&mut v, [2, 6, 10, 14], m[s[4]], m[s[5]]);
            g(&mut v, [3, 7, 11, 15], m[s[6]], m[s[7]]);
            g(&mut v, [0, 5, 10, 15], m[s[8]], m[s[9]]);
            g(&mut v, [1, 6, 11, 12], m[s[10]], m[s[11]]);
            g(&mut v, [2, 7, 8, 13], m[s[12]], m[s[13]]);
            g(&mut v, [3, 4, 9, 14], m[s[14]], m[s[15]]);
        }
        for i in 0..8 {
            v[i].xor(v[i + 8]).store(x.cv[i].as_mut_ptr());
        }
    }
}

/// The mixing function G on four words of the state.
///
/// # Safety
/// The CPU has `V`'s features.
#[inline(always)]
unsafe fn g<V: Words>(v: &mut [V; 16], [a, b, c, d]: [usize; 4], mx: V, my: V) {
    unsafe {
        v[a] = v[a].add(v[b]).add(mx);
        v[d] = v[d].xor(v[a]).rotr16();
        v[c] = v[c].add(v[d]);
        v[b] = v[b].xor(v[c]).rotr12();
        v[a] = v[a].add(v[b]).add(my);
        v[d] = v[d].xor(v[a]).rotr8();
        v[c] = v[c].add(v[d]);
        v[b] = v[b].xor(v[c]).rotr7();
    }
}

/// Eight words as plain Rust (the compiler's vectors for the target's baseline).
#[derive(Clone, Copy)]
struct Plain([u32; 8]);

impl Plain {
    #[inline(always)]
    fn map(self, f: impl Fn(u32) -> u32) -> Plain {
        Plain(self.0.map(f))
    }

    #[inline(always)]
    fn zip(self, o: Plain, f: impl Fn(u32, u32) -> u32) -> Plain {
        Plain(std::array::from_fn(|i| f(self.0[i], o.0[i])))
    }
}

impl Words for Plain {
    #[inline(always)]
    unsafe fn load(p: *const u32) -> Self {
        // SAFETY: `p` points to 8 words (the trait's contract).
        Plain(unsafe { std::ptr::read_unaligned(p as *const [u32; 8]) })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut u32) {
        // SAFETY: as `load`.
        unsafe { std::ptr::write_unaligned(p as *mut [u32; 8], self.0) }
    }
    #[inline(always)]
    unsafe fn splat(x: u32) -> Self {
        Plain([x; 8])
    }
    #[inline(always)]
    unsafe fn add(self, o: Self) -> Self {
        self.zip(o, u32::wrapping_add)
    }
    #[inline(always)]
    unsafe fn xor(self, o: Self) -> Self {
        self.zip(o, |a, b| a ^ b)
    }
    #[inline(always)]
    unsafe fn rotr16(self) -> Self {
        self.map(|a| a.rotate_right(16))
    }
    #[inline(always)]
    unsafe fn rotr12(self) -> Self {
        self.map(|a| a.rotate_right(12))
    }
    #[inline(always)]
    unsafe fn rotr8(self) -> Self {
        self.map(|a| a.rotate_right(8))
    }
    #[inline(always)]
    unsafe fn rotr7(self) -> Self {
        self.map(|a| a.rotate_right(7))
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::Words;

    /// Eight words in an AVX2 register.
    #[derive(Clone, Copy)]
    pub struct Avx2(__m256i);

    // SAFETY (every function): the CPU has AVX2 (the trait's contract); `load` and `store`
    // take 8 words.
    impl Words for Avx2 {
        #[inline(always)]
        unsafe fn load(p: *const u32) -> Self {
            unsafe { Avx2(_mm256_loadu_si256(p as *const __m256i)) }
        }
        #[inline(always)]
        unsafe fn store(self, p: *mut u32) {
            unsafe { _mm256_storeu_si256(p as *mut __m256i, self.0) }
        }
        #[inline(always)]
        unsafe fn splat(x: u32) -> Self {
            unsafe { Avx2(_mm256_set1_epi32(x as i32)) }
        }
        #[inline(always)]
        unsafe fn add(self, o: Self) -> Self {
            unsafe { Avx2(_mm256_add_epi32(self.0, o.0)) }
        }
        #[inline(always)]
        unsafe fn xor(self, o: Self) -> Self {
            unsafe { Avx2(_mm256_xor_si256(self.0, o.0)) }
        }
        #[inline(always)]
        unsafe fn rotr16(self) -> Self {
            // Each word's bytes 2, 3, 0, 1.
            unsafe {
                let m = _mm256_set_epi8(
                    13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2, 13, 12, 15, 14, 9, 8, 11,
                    10, 5, 4, 7, 6, 1, 0, 3, 2,
                );
                Avx2(_mm256_shuffle_epi8(self.0, m))
            }
        }
        #[inline(always)]
        unsafe fn rotr12(self) -> Self {
            unsafe {
                Avx2(_mm256_or_si256(
                    _mm256_srli_epi32::<12>(self.0),
                    _mm256_slli_epi32::<20>(self.0),
                ))
            }
        }
        #[inline(always)]
        unsafe fn rotr8(self) -> Self {
            // Each word's bytes 1, 2, 3, 0.
            unsafe {
                let m = _mm256_set_epi8(
                    12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1, 12, 15, 14, 13, 8, 11,
                    10, 9, 4, 7, 6, 5, 0, 3, 2, 1,
                );
                Avx2(_mm256_shuffle_epi8(self.0, m))
            }
        }
        #[inline(always)]
        unsafe fn rotr7(self) -> Self {
            unsafe {
                Avx2(_mm256_or_si256(
                    _mm256_srli_epi32::<7>(self.0),
                    _mm256_slli_epi32::<25>(self.0),
                ))
            }
        }
    }

    /// Sixteen words in an AVX-512 register.
    #[derive(Clone, Copy)]
    pub struct Avx512(__m512i);

    // SAFETY (every function): the CPU has AVX-512F (the trait's contract); `load` and
    // `store` take 16 words.
    impl Words for Avx512 {
        #[inline(always)]
        unsafe fn load(p: *const u32) -> Self {
            unsafe { Avx512(_mm512_loadu_si512(p as *const __m512i)) }
        }
        #[inline(always)]
        unsafe fn store(self, p: *mut u32) {
            unsafe { _mm512_storeu_si512(p as *mut __m512i, self.0) }
        }
        #[inline(always)]
        unsafe fn splat(x: u32) -> Self {
            unsafe { Avx512(_mm512_set1_epi32(x as i32)) }
        }
        #[inline(always)]
        unsafe fn add(self, o: Self) -> Self {
            unsafe { Avx512(_mm512_add_epi32(self.0, o.0)) }
        }
        #[inline(always)]
        unsafe fn xor(self, o: Self) -> Self {
            unsafe { Avx512(_mm512_xor_si512(self.0, o.0)) }
        }
        #[inline(always)]
        unsafe fn rotr16(self) -> Self {
            unsafe { Avx512(_mm512_ror_epi32::<16>(self.0)) }
        }
        #[inline(always)]
        unsafe fn rotr12(self) -> Self {
            unsafe { Avx512(_mm512_ror_epi32::<12>(self.0)) }
        }
        #[inline(always)]
        unsafe fn rotr8(self) -> Self {
            unsafe { Avx512(_mm512_ror_epi32::<8>(self.0)) }
        }
        #[inline(always)]
        unsafe fn rotr7(self) -> Self {
            unsafe { Avx512(_mm512_ror_epi32::<7>(self.0)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// BLAKE3's flags (the specification, §2.1): a chunk's first and last block, the root,
    /// a keyed hash.
    const ONE_BLOCK: u8 = 1 | 2 | 8;
    const KEYED: u8 = 16;

    /// One block as each lane's whole input, of every length from 0 to 64, hashed plainly
    /// (the chaining value BLAKE3's IV) or keyed (a random key as the chaining value, and its
    /// flag), against `blake3::hash` and `blake3::keyed_hash` of the same bytes: every lane
    /// its own block, length, chaining value and flags, on every kernel this CPU has.
    #[test]
    fn one_block_as_blake3_hashes_it() {
        let mut rng = crate::rng::Rng::new(7);
        for kernel in Kernel::all() {
            for round in 0..40 {
                let n = kernel.lanes();
                let inputs: Vec<([u8; 32], Vec<u8>, bool)> = (0..n)
                    .map(|lane| {
                        let key: [u8; 32] = std::array::from_fn(|_| rng.below(256) as u8);
                        let len = (round * n + lane) % 65;
                        let block: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
                        (key, block, rng.below(2) == 1)
                    })
                    .collect();
                let got = run(kernel, &inputs);
                for (lane, (key, block, keyed)) in inputs.iter().enumerate() {
                    let want = match keyed {
                        true => blake3::keyed_hash(key, block),
                        false => blake3::hash(block),
                    };
                    assert_eq!(
                        &got[lane],
                        want.as_bytes(),
                        "{kernel:?}, lane {lane}, {} bytes, keyed {keyed}",
                        block.len()
                    );
                }
            }
        }
    }

    /// Each lane's hash (its chaining value after the one block, as bytes).
    fn run(kernel: Kernel, inputs: &[([u8; 32], Vec<u8>, bool)]) -> Vec<[u8; 32]> {
        fn each<const L: usize>(
            inputs: &[([u8; 32], Vec<u8>, bool)],
            f: impl Fn(&mut Lanes<L>),
        ) -> Vec<[u8; 32]> {
            let mut x = Lanes::<L>::default();
            for (lane, (key, block, keyed)) in inputs.iter().enumerate() {
                let cv = match keyed {
                    true => std::array::from_fn(|w| {
                        u32::from_le_bytes(key[4 * w..4 * w + 4].try_into().expect("4"))
                    }),
                    false => IV,
                };
                x.set_cv(lane, &cv);
                // What follows the block in memory: not hashed.
                let mut b = [0xA5u8; 64];
                b[..block.len()].copy_from_slice(block);
                let flags = if *keyed { ONE_BLOCK | KEYED } else { ONE_BLOCK };
                x.set(lane, &b, block.len(), flags);
            }
            f(&mut x);
            (0..L)
                .map(|lane| {
                    let mut h = [0u8; 32];
                    for w in 0..8 {
                        h[4 * w..4 * w + 4].copy_from_slice(&x.cv[w][lane].to_le_bytes());
                    }
                    h
                })
                .collect()
        }
        match kernel {
            Kernel::Plain => each::<8>(inputs, compress_plain),
            // SAFETY: `Kernel::all` lists only what the CPU has.
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => each::<8>(inputs, |x| unsafe { compress_avx2(x) }),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => each::<16>(inputs, |x| unsafe { compress_avx512(x) }),
        }
    }
}
