//! Whether and when to send a failed call again: one decision for every client, in every
//! language. The caller keeps the clock and the random source; this module only decides.

use serde::Serialize;

use crate::error::{Code, Error, Retry, ValidationError};

/// How persistent a client is. Waits are in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (default 3; 1 never retries).
    pub max_attempts: u32,
    /// The ceiling of the first backoff wait; it doubles with each attempt (default 1,000 ms).
    pub base_delay_ms: u64,
    /// No wait is longer; a `Retry-After` asking for more stops instead (default 60,000 ms).
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay_ms: 1_000,
            max_delay_ms: 60_000,
        }
    }
}

impl RetryPolicy {
    /// A policy with every member checked: at least one attempt, a maximum wait no shorter than
    /// the base.
    pub fn new(
        max_attempts: u32,
        base_delay_ms: u64,
        max_delay_ms: u64,
    ) -> Result<Self, ValidationError> {
        if max_attempts == 0 {
            return Err(ValidationError::single(
                Code::OutOfRange,
                "max_attempts",
                "at least one attempt is needed",
            ));
        }
        if max_delay_ms < base_delay_ms {
            return Err(ValidationError::single(
                Code::OutOfRange,
                "max_delay_ms",
                format!("{max_delay_ms} is less than base_delay_ms ({base_delay_ms})"),
            ));
        }
        Ok(RetryPolicy {
            max_attempts,
            base_delay_ms,
            max_delay_ms,
        })
    }
}

/// Why a client gives up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The error's advice is not to resend the call now (`later`, `fix`, `reauth`, `none`,
    /// `partial`).
    NotRetryable,
    /// `max_attempts` calls were made.
    AttemptsExhausted,
    /// The server's `Retry-After` asks for a longer wait than `max_delay_ms`.
    RetryAfterTooLong,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NextAttempt {
    /// Wait `delay_ms`, then send the same request again as attempt number `attempt`.
    Retry { attempt: u32, delay_ms: u64 },
    /// Throw the cursor away and ask for the listing's first page again, as attempt `attempt`.
    Restart { attempt: u32 },
    /// Give up: the error is the result.
    Stop { reason: StopReason, retry: Retry },
}

/// The decision after attempt number `attempt` (1 for the first call) failed with `error`.
/// `random` is a number in `[0, 1)` from the caller's source: the wait after a transient error is
/// drawn uniformly below the doubled ceiling ("full jitter"), so many clients that failed
/// together do not come back together. A `Retry-After` from the server is the wait itself.
pub fn next_attempt(
    error: &Error,
    attempt: u32,
    policy: &RetryPolicy,
    random: f64,
) -> Result<NextAttempt, ValidationError> {
    let retry_after = match error {
        Error::Api(e) => e.retry_after_seconds,
        _ => None,
    };
    next_attempt_for(error.retry(), retry_after, attempt, policy, random)
}

/// [`next_attempt`] from an error's advice and its `Retry-After` (seconds), as an error's JSON
/// form carries them.
pub fn next_attempt_for(
    retry: Retry,
    retry_after_seconds: Option<u64>,
    attempt: u32,
    policy: &RetryPolicy,
    random: f64,
) -> Result<NextAttempt, ValidationError> {
    if !(0.0..1.0).contains(&random) {
        return Err(ValidationError::single(
            Code::OutOfRange,
            "random",
            format!("{random} is not in [0, 1)"),
        ));
    }
    if attempt == 0 {
        return Err(ValidationError::single(
            Code::OutOfRange,
            "attempt",
            "attempts are counted from 1",
        ));
    }
    let stop = |reason| NextAttempt::Stop { reason, retry };
    let retryable = matches!(retry, Retry::Backoff | Retry::Restart);
    if !retryable {
        return Ok(stop(StopReason::NotRetryable));
    }
    if attempt >= policy.max_attempts {
        return Ok(stop(StopReason::AttemptsExhausted));
    }
    let next = attempt + 1;
    if retry == Retry::Restart {
        return Ok(NextAttempt::Restart { attempt: next });
    }
    if let Some(seconds) = retry_after_seconds {
        let wait = seconds.saturating_mul(1000);
        if wait > policy.max_delay_ms {
            return Ok(stop(StopReason::RetryAfterTooLong));
        }
        return Ok(NextAttempt::Retry {
            attempt: next,
            delay_ms: wait,
        });
    }
    let doubled = policy
        .base_delay_ms
        .saturating_mul(1u64.checked_shl(attempt - 1).unwrap_or(u64::MAX));
    let ceiling = doubled.min(policy.max_delay_ms);
    // Full jitter: uniform in [0, ceiling). `random < 1`, so the product stays below the ceiling.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let delay_ms = (random * ceiling as f64).floor() as u64;
    Ok(NextAttempt::Retry {
        attempt: next,
        delay_ms,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn decide(retry: Retry, after: Option<u64>, attempt: u32, random: f64) -> NextAttempt {
        next_attempt_for(retry, after, attempt, &RetryPolicy::default(), random).unwrap()
    }

    #[test]
    fn backoff_doubles_its_ceiling_and_jitters_below_it() {
        assert_eq!(
            decide(Retry::Backoff, None, 1, 0.5),
            NextAttempt::Retry {
                attempt: 2,
                delay_ms: 500
            }
        );
        assert_eq!(
            decide(Retry::Backoff, None, 2, 0.5),
            NextAttempt::Retry {
                attempt: 3,
                delay_ms: 1000
            }
        );
        let huge = RetryPolicy::new(200, 1000, 5000).unwrap();
        assert_eq!(
            next_attempt_for(Retry::Backoff, None, 100, &huge, 0.999_999).unwrap(),
            NextAttempt::Retry {
                attempt: 101,
                delay_ms: 4999
            }
        );
    }

    #[test]
    fn stops() {
        for r in [
            Retry::Later,
            Retry::Fix,
            Retry::Reauth,
            Retry::None,
            Retry::Partial,
        ] {
            assert_eq!(
                decide(r, Some(1), 1, 0.0),
                NextAttempt::Stop {
                    reason: StopReason::NotRetryable,
                    retry: r
                }
            );
        }
        assert!(matches!(
            decide(Retry::Backoff, None, 3, 0.0),
            NextAttempt::Stop {
                reason: StopReason::AttemptsExhausted,
                ..
            }
        ));
        assert!(matches!(
            decide(Retry::Backoff, Some(61), 1, 0.0),
            NextAttempt::Stop {
                reason: StopReason::RetryAfterTooLong,
                ..
            }
        ));
    }

    #[test]
    fn bad_arguments_are_typed_errors() {
        let p = RetryPolicy::default();
        for r in [1.0, -0.1, f64::NAN, f64::INFINITY] {
            assert!(next_attempt_for(Retry::Backoff, None, 1, &p, r).is_err());
        }
        assert!(next_attempt_for(Retry::Backoff, None, 0, &p, 0.1).is_err());
        assert!(RetryPolicy::new(0, 1, 1).is_err());
        assert!(RetryPolicy::new(1, 10, 1).is_err());
    }
}
