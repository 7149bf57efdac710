/// SPEC §4.5 (v2), the tail of a series: which flagged runs the default model
/// drops.
///
/// The outlier rule (SPEC §4.3) needs runs on both sides of a point. At the
/// end of a series there are none after it, so the first runs at a new level
/// look exactly like outliers until enough runs pile up — dropping them hides
/// a regression that just arrived. A flagged run is therefore dropped only
/// when runs after it *confirm* it was an outlier: its backward window holds
/// its full `window` later runs (which then sit at the old level, or it would
/// not be flagged). Flagged runs in the tail reach the model, whose
/// heavy-tailed noise decides how much they count: two consecutive runs at a
/// new level are evidence of a new level, a lone spike is not.
public enum TailRule {
    /// For each row (in time order), whether it is dropped: flagged and
    /// followed by at least `window` later rows.
    public static func dropped(flags: [Bool], window: Int = OutlierScore.defaultWindow) -> [Bool] {
        let n = flags.count
        return flags.enumerated().map { k, flagged in flagged && n - 1 - k >= window }
    }
}
