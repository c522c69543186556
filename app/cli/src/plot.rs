//! `ngpu simulate --plot FILE.svg`: the simulated hours (each crank call's budget, paid,
//! forfeited and burned IO per hour, and the circulating supply) above the 20-year emission and
//! supply curves of the pure schedule. Floats appear here only to draw; every amount comes from
//! the chain or the integer schedule.

use std::path::Path;

use ngpu_math::units::{GENESIS_SUPPLY, IO_UNIT, MAX_SUPPLY};
use ngpu_math::{cumulative, hour_budget, EMISSION_HOURS};
use plotters::prelude::*;

const HOURS_PER_YEAR: f64 = 8_760.0;
/// One point a month (730 hours).
const STEP_HOURS: usize = 730;

/// One crank call of the simulation, in base units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimPoint {
    /// The call covered hours `first..end`.
    pub first: u64,
    pub end: u64,
    /// The schedule's budget of those hours, what was minted (paid) and what was forfeited.
    pub budget: u64,
    pub paid: u64,
    pub forfeited: u64,
    /// IO burned since the previous call (fees, buybacks, slashes), and the supply after it.
    pub burned: u64,
    pub supply: u64,
}

/// Fails early (before a long run) if `path` cannot be written: creates or truncates it.
pub fn check_writable(path: &Path) -> Result<(), String> {
    std::fs::File::create(path)
        .map(drop)
        .map_err(|e| format!("plot {}: {e}", path.display()))
}

/// Writes the simulated hours (`points`, one per crank call) above the 20-year schedule.
pub fn write_simulation_svg(path: &Path, points: &[SimPoint]) -> Result<(), String> {
    draw_all(path, points).map_err(|e| format!("plot {}: {e}", path.display()))
}

fn draw_all(path: &Path, points: &[SimPoint]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (960, 1440)).into_drawing_area();
    root.fill(&WHITE)?;
    let (simulated, schedule) = root.split_vertically(720);
    draw_simulated(&simulated, points)?;
    draw_schedule(&schedule)?;
    root.present()?;
    Ok(())
}

fn draw_simulated<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    points: &[SimPoint],
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let (top, bottom) = area.split_vertically(360);
    let x_max = points.last().map_or(1, |p| p.end).max(1) as f64;
    let per_hour = |amount: u64, p: &SimPoint| io(amount) / (p.end - p.first).max(1) as f64;
    let y_max = points
        .iter()
        .map(|p| per_hour(p.budget.max(p.burned), p))
        .fold(1.0, f64::max);
    let mut chart = ChartBuilder::on(&top)
        .caption(
            "Simulated hours: IO per hour of each crank call",
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("hours after genesis")
        .y_desc("IO / hour")
        .draw()?;
    type Pick = fn(&SimPoint) -> u64;
    let series: [(&str, RGBColor, Pick); 4] = [
        ("budget", BLUE, |p| p.budget),
        ("paid", GREEN, |p| p.paid),
        ("forfeited", RED, |p| p.forfeited),
        ("burned", MAGENTA, |p| p.burned),
    ];
    for (label, color, pick) in series {
        chart
            .draw_series(LineSeries::new(
                points.iter().flat_map(|p| {
                    let v = per_hour(pick(p), p);
                    [(p.first as f64, v), (p.end as f64, v)]
                }),
                color,
            ))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .border_style(BLACK)
        .draw()?;

    let supplies: Vec<f64> = points.iter().map(|p| io(p.supply) / 1e6).collect();
    let low = supplies.iter().copied().fold(f64::MAX, f64::min).min(500.0);
    let high = supplies
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(low + 0.001);
    let pad = (high - low) * 0.1;
    let mut chart = ChartBuilder::on(&bottom)
        .caption(
            "Simulated circulating supply (minted - burned)",
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..x_max, (low - pad)..(high + pad))?;
    chart
        .configure_mesh()
        .x_desc("hours after genesis")
        .y_desc("million IO")
        .draw()?;
    chart.draw_series(LineSeries::new(
        points
            .iter()
            .zip(&supplies)
            .map(|(p, s)| (p.end as f64, *s)),
        &BLACK,
    ))?;
    Ok(())
}

fn io(base_units: u64) -> f64 {
    base_units as f64 / IO_UNIT as f64
}

fn draw_schedule<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let end = EMISSION_HOURS + 8_760;
    let hours: Vec<u64> = (0..=end).step_by(STEP_HOURS).collect();
    let years = |h: u64| h as f64 / HOURS_PER_YEAR;
    let x_max = years(end);
    let (top, bottom) = area.split_vertically(360);

    let mut chart = ChartBuilder::on(&top)
        .caption("IO emitted per hour", ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..x_max, 0.0..io(hour_budget(0)) * 1.05)?;
    chart
        .configure_mesh()
        .x_desc("years after genesis")
        .y_desc("IO / hour")
        .draw()?;
    chart.draw_series(LineSeries::new(
        hours.iter().map(|&h| (years(h), io(hour_budget(h)))),
        &BLUE,
    ))?;

    let mut chart = ChartBuilder::on(&bottom)
        .caption(
            "IO supply ever minted (genesis + emission; cap 800M)",
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..x_max, 0.0..io(MAX_SUPPLY) / 1e6 * 1.05)?;
    chart
        .configure_mesh()
        .x_desc("years after genesis")
        .y_desc("million IO")
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            hours
                .iter()
                .map(|&h| (years(h), io(GENESIS_SUPPLY + cumulative(h)) / 1e6)),
            &RED,
        ))?
        .label("supply")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, io(MAX_SUPPLY) / 1e6), (x_max, io(MAX_SUPPLY) / 1e6)],
            BLACK.mix(0.4),
        ))?
        .label("cap")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.4)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
