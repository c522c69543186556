//! The 20-year emission and supply curves as an SVG (`ngpu simulate --plot FILE.svg`).
//! Floats appear here only to draw; every amount comes from the integer schedule.

use std::path::Path;

use ngpu_math::units::{GENESIS_SUPPLY, IO_UNIT, MAX_SUPPLY};
use ngpu_math::{cumulative, hour_budget, EMISSION_HOURS};
use plotters::prelude::*;

const HOURS_PER_YEAR: f64 = 8_760.0;
/// One point a month (730 hours).
const STEP_HOURS: usize = 730;

pub fn write_schedule_svg(path: &Path) -> Result<(), String> {
    draw(path).map_err(|e| format!("plot {}: {e}", path.display()))
}

fn io(base_units: u64) -> f64 {
    base_units as f64 / IO_UNIT as f64
}

fn draw(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let end = EMISSION_HOURS + 8_760;
    let hours: Vec<u64> = (0..=end).step_by(STEP_HOURS).collect();
    let years = |h: u64| h as f64 / HOURS_PER_YEAR;
    let x_max = years(end);

    let root = SVGBackend::new(path, (960, 720)).into_drawing_area();
    root.fill(&WHITE)?;
    let (top, bottom) = root.split_vertically(360);

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
    root.present()?;
    Ok(())
}
