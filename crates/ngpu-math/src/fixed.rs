//! Checked fixed-point helpers: `a * b / d` with a u128 intermediate.

use crate::MathError;

/// `floor(a * b / d)`: for payouts (rounds down, in the protocol's favour).
pub fn mul_div_floor(a: u64, b: u64, d: u64) -> Result<u64, MathError> {
    if d == 0 {
        return Err(MathError::DivisionByZero);
    }
    let product = u128::from(a)
        .checked_mul(u128::from(b))
        .ok_or(MathError::Overflow)?;
    let q = product
        .checked_div(u128::from(d))
        .ok_or(MathError::DivisionByZero)?;
    u64::try_from(q).map_err(|_| MathError::Overflow)
}

/// `ceil(a * b / d)`: for amounts owed to the protocol (rounds up, in its favour).
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> Result<u64, MathError> {
    if d == 0 {
        return Err(MathError::DivisionByZero);
    }
    let product = u128::from(a)
        .checked_mul(u128::from(b))
        .ok_or(MathError::Overflow)?;
    let d = u128::from(d);
    let q = product.checked_div(d).ok_or(MathError::DivisionByZero)?;
    let r = product.checked_rem(d).ok_or(MathError::DivisionByZero)?;
    let q = if r > 0 {
        q.checked_add(1).ok_or(MathError::Overflow)?
    } else {
        q
    };
    u64::try_from(q).map_err(|_| MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edges() {
        assert_eq!(mul_div_floor(0, 5, 7), Ok(0));
        assert_eq!(mul_div_ceil(0, 5, 7), Ok(0));
        assert_eq!(mul_div_floor(1, 1, 3), Ok(0));
        assert_eq!(mul_div_ceil(1, 1, 3), Ok(1));
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, u64::MAX), Ok(u64::MAX));
        assert_eq!(mul_div_ceil(u64::MAX, u64::MAX, u64::MAX), Ok(u64::MAX));
        assert_eq!(mul_div_floor(u64::MAX, 2, 1), Err(MathError::Overflow));
        assert_eq!(mul_div_ceil(u64::MAX, 2, 1), Err(MathError::Overflow));
        assert_eq!(mul_div_floor(1, 1, 0), Err(MathError::DivisionByZero));
        assert_eq!(mul_div_ceil(1, 1, 0), Err(MathError::DivisionByZero));
    }

    proptest! {
        #[test]
        fn floor_le_exact_le_ceil(a: u64, b: u64, d in 1u64..) {
            let exact = u128::from(a) * u128::from(b);
            if let (Ok(f), Ok(c)) = (mul_div_floor(a, b, d), mul_div_ceil(a, b, d)) {
                prop_assert!(u128::from(f) * u128::from(d) <= exact);
                prop_assert!(exact < (u128::from(f) + 1) * u128::from(d));
                prop_assert!(u128::from(c) * u128::from(d) >= exact);
                prop_assert!(c - f <= 1);
                prop_assert_eq!(c == f, exact % u128::from(d) == 0);
            } else {
                prop_assert!(exact / u128::from(d) >= u128::from(u64::MAX));
            }
        }
    }
}
