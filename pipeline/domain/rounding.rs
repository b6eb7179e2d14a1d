//! Half-up rounding, as Excel and the reports do (88.125 → 88.13, 001 line 1394).
//!
//! Figures are kept at full precision and rounded only when presented. A binary float such as
//! 84.775 is stored as 84.77499999…; rounding its shortest decimal form to 12 significant
//! places first removes that noise, then the decimal is rounded half away from zero.

use rust_decimal::prelude::*;

/// Rounds half-up (away from zero) to `dp` decimals. `None` for NaN or infinite input.
pub fn round_half_up(x: f64, dp: u32) -> Option<f64> {
    if !x.is_finite() {
        return None;
    }
    // 12 significant digits is far beyond any SKM figure's meaning and far above f64 noise.
    let cleaned = format!("{:.*e}", 11, x);
    let d = Decimal::from_scientific(&cleaned).ok()?;
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .to_f64()
}

pub fn round_half_up_opt(x: Option<f64>, dp: u32) -> Option<f64> {
    x.and_then(|v| round_half_up(v, dp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up_not_bankers() {
        assert_eq!(round_half_up(88.125, 2), Some(88.13));
        assert_eq!(round_half_up(84.775, 2), Some(84.78));
        assert_eq!(round_half_up(86.845_5, 2), Some(86.85));
        assert_eq!(round_half_up(2.5, 0), Some(3.0));
        assert_eq!(round_half_up(-2.5, 0), Some(-3.0));
        assert_eq!(round_half_up(87.216_666, 2), Some(87.22));
        assert_eq!(round_half_up(f64::NAN, 2), None);
    }

    #[test]
    fn float_noise_does_not_flip_a_half() {
        // 30.519 / 9 * 25 is 84.775 exactly in decimal but not in binary.
        let ikm = 30.519_f64 / 9.0 * 25.0;
        assert_eq!(round_half_up(ikm, 2), Some(84.78));
    }
}
