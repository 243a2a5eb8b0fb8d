"""The comparison scripts/compare-eemeter runs (see there)."""

import json
import logging
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd
from eemeter.eemeter import (
    DailyBaselineData,
    DailyModel,
    HourlyBaselineData,
    HourlyCaltrackBaselineData,
    HourlyCaltrackModel,
    HourlyCaltrackReportingData,
    HourlyModel,
    HourlyReportingData,
)
from eemeter.eemeter.samples import load_sample

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

SAMPLES = [
    "il-electricity-cdd-hdd-daily",
    "il-electricity-cdd-only-daily",
    "il-gas-hdd-only-daily",
    "il-gas-intercept-only-daily",
]
HOURLY_SAMPLES = [
    "il-electricity-cdd-hdd-hourly",
    "il-electricity-cdd-only-hourly",
    "il-gas-hdd-only-hourly",
    "il-gas-intercept-only-hourly",
]
# The samples' station (USAF 724390) is in Illinois: hours of the week on its wall clock.
HOURLY_TIME_ZONE = "America/Chicago"
# Baselines the hourly models are fitted on: CalTRACK's year, and the half-year and season a
# new building or a new meter has.
HOURLY_BASELINE_DAYS = [365, 180, 90]
LIMIT_POINTS = 1.0
# A month of the reporting year counts for the monthly error when it has this many scored hours.
MONTH_HOURS = 28 * 24


def guideline14(observed, predicted, parameters):
    """CV(RMSE) and NMBE in %, with n - p degrees of freedom."""
    residuals = observed - predicted
    freedom = len(observed) - parameters
    mean = observed.mean()
    cv_rmse = np.sqrt((residuals**2).sum() / freedom) / mean * 100
    nmbe = residuals.sum() / (freedom * mean) * 100
    return cv_rmse, nmbe


def compare(sample):
    """Fits the three daily models to `sample`'s baseline year; whether ours is within the limit."""
    meter, temperature, metadata = load_sample(sample)
    end = metadata["blackout_start_date"]
    start = end - pd.Timedelta(days=365)
    baseline = DailyBaselineData.from_series(
        meter[(meter.index >= start) & (meter.index < end)],
        temperature[(temperature.index >= start) & (temperature.index < end)],
        is_electricity_data=sample.startswith("il-electricity"),
    )
    days = baseline.df.dropna(subset=["observed", "temperature"])

    rows = []
    for kind in ("current", "legacy"):
        began = time.perf_counter()
        model = DailyModel(model=kind).fit(baseline, ignore_disqualification=True)
        seconds = time.perf_counter() - began
        predicted = model.predict(baseline).loc[days.index, "predicted"].to_numpy()
        rows.append((f"eemeter 4.1.1 DailyModel ({kind})", predicted, seconds))

    # Ours, through the command line, on the same days (kWh, °F as eemeter has them).
    csv = os.path.join(os.environ["WORK"], "days.csv")
    with open(csv, "w") as file:
        file.write("start,energy_kwh,temperature_f\n")
        for day, row in days.iterrows():
            file.write(f"{day.strftime('%Y-%m-%dT00:00:00+00:00')},{row.observed},{row.temperature}\n")
    began = time.perf_counter()
    result = subprocess.run(
        [
            os.environ["BRIDGE"], "baseline", "fit", "--csv", csv, "--reporting", csv, "--json",
            "--allow-insufficient",
        ],
        check=True, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - began
    report = json.loads(result.stdout)
    fit = report["fit"]
    predicted = np.array([row["adjusted_baseline"] for row in report["reporting"]["rows"]]) / 1000
    rows.append(("meter-bridge baseline fit (ours)", predicted, seconds))
    # One count of parameters for every model (ours), so the statistics differ only by the
    # models' predictions.
    parameters = fit["statistics"]["parameters"]

    observed = days.observed.to_numpy()
    print(f"\nsample {sample}: {len(days)} baseline days, {start.date()} to {end.date()}")
    results = table(rows, lambda predicted: guideline14(observed, predicted, parameters))
    print(
        f"ours: {fit['form']}, intercept {fit['intercept'] / 1000:.2f} kWh/day, heating "
        f"{fit['heating_slope'] / 1000:.3f} kWh/K·day below {fit['heating_balance']} °C, cooling "
        f"{fit['cooling_slope'] / 1000:.3f} kWh/K·day above {fit['cooling_balance']} °C, "
        f"temperatures spread {fit['temperature_spread']} K (the sample was made with balance "
        f"points 60 °F = 15.6 °C and 65 °F = 18.3 °C)"
    )

    return verdict(results, [seconds for _, _, seconds in rows])


def verdict(results, seconds):
    """Whether ours (the last of `results`, CV(RMSE) and NMBE by model) is within the limit of
    the better eemeter model's CV(RMSE); prints that, whether its |NMBE| is, and the speed-up
    over the faster eemeter model (`seconds` per model)."""
    *theirs, ours = results.values()
    answer = lambda worse: "no" if worse else "yes"
    worse = ours[0] - min(statistics[0] for statistics in theirs) > LIMIT_POINTS
    more_biased = abs(ours[1]) - min(abs(statistics[1]) for statistics in theirs) > LIMIT_POINTS
    print(
        f"CV(RMSE) within 1 percentage point of the better eemeter model: {answer(worse)}; "
        f"|NMBE| within 1 point: {answer(more_biased)}"
    )
    print(f"ours is {min(seconds[:-1]) / seconds[-1]:.0f}x as fast as the faster eemeter model")
    return not worse, not more_biased


def table(rows, statistics, columns=("CV(RMSE) %", "NMBE %")):
    """Prints each model's statistics (`columns`) and fit time; returns the statistics by
    model."""
    print(f"{'model':<40}" + "".join(f" {column:>11}" for column in columns) + f" {'fit s':>8}")
    results = {}
    for name, predicted, seconds in rows:
        results[name] = statistics(predicted)
        print(f"{name:<40}" + "".join(f" {value:>11.2f}" for value in results[name]) + f" {seconds:>8.3f}")
    return results


def hourly_csv(path, meter, temperature):
    """Hours on the site's wall clock as `baseline fit --csv` reads them (kWh, °F)."""
    with open(path, "w") as file:
        file.write("start,energy_kwh,temperature_f\n")
        temperature = temperature.reindex(meter.index)
        for start, energy, degrees in zip(meter.index, meter.to_numpy(), temperature.to_numpy()):
            show = lambda value: "" if np.isnan(value) else f"{value}"
            file.write(f"{start.isoformat()},{show(energy)},{show(degrees)}\n")


def compare_hourly(sample, days):
    """Fits eemeter's two hourly models and ours on the `days` days before `sample`'s blackout
    and scores their predictions of the 365 days after it: use none of them has seen."""
    meter, temperature, metadata = load_sample(sample)
    meter = meter.value.tz_convert(HOURLY_TIME_ZONE)
    temperature = temperature.tz_convert(HOURLY_TIME_ZONE)
    electricity = sample.startswith("il-electricity")
    if electricity:
        # eemeter takes an electricity meter's zero hours as missing; so does the comparison.
        meter = meter.where(meter != 0)
    end = metadata["blackout_start_date"]
    start = end - pd.Timedelta(days=days)
    reporting_start = metadata["blackout_end_date"]
    reporting_end = reporting_start + pd.Timedelta(days=365)
    cut = lambda series, a, b: series[(series.index >= a) & (series.index < b)]
    baseline = (cut(meter, start, end), cut(temperature, start, end))
    reporting = (cut(meter, reporting_start, reporting_end), cut(temperature, reporting_start, reporting_end))

    rows = []
    data = HourlyCaltrackBaselineData.from_series(*baseline, is_electricity_data=electricity)
    began = time.perf_counter()
    model = HourlyCaltrackModel().fit(data)
    seconds = time.perf_counter() - began
    predicted = model.predict(HourlyCaltrackReportingData.from_series(*reporting, is_electricity_data=electricity))
    rows.append(("eemeter 4.1.1 HourlyCaltrackModel (2.0)", predicted.predicted, seconds))

    frame = lambda pair: pd.DataFrame({"observed": pair[0], "temperature": pair[1]})
    data = HourlyBaselineData(frame(baseline), is_electricity_data=electricity)
    began = time.perf_counter()
    model = HourlyModel().fit(data, ignore_disqualification=True)
    seconds = time.perf_counter() - began
    predicted = model.predict(
        HourlyReportingData(frame(reporting), is_electricity_data=electricity), ignore_disqualification=True
    )
    rows.append(("eemeter 4.1.1 HourlyModel (4.x)", predicted.predicted, seconds))

    work = os.environ["WORK"]
    hourly_csv(os.path.join(work, "baseline.csv"), *baseline)
    hourly_csv(os.path.join(work, "reporting.csv"), *reporting)
    began = time.perf_counter()
    result = subprocess.run(
        [
            os.environ["BRIDGE"], "baseline", "fit", "--model", "hourly", "--csv",
            os.path.join(work, "baseline.csv"), "--reporting", os.path.join(work, "reporting.csv"),
            "--json", "--allow-insufficient",
        ],
        check=True, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - began
    report = json.loads(result.stdout)
    ours = pd.Series(
        [row["adjusted_baseline"] for row in report["reporting"]["rows"]],
        index=pd.to_datetime([row["start"] for row in report["reporting"]["rows"]], utc=True),
        dtype=float,
    ) / 1000
    rows.append(("meter-bridge baseline fit (ours)", ours, seconds))

    # The use the reporting year would have had without its 10 % savings: what a baseline
    # should predict. Scored on the hours every model predicts.
    unsaved = reporting[0] * metadata["annual_baseline_total_load"] / metadata["annual_reporting_total_load"]
    unsaved.index = unsaved.index.tz_convert("UTC")
    rows = [
        (name, predicted.tz_convert("UTC").reindex(unsaved.index), seconds)
        for name, predicted, seconds in rows
    ]
    scored = unsaved.notna()
    for _, predicted, _ in rows:
        scored &= predicted.notna()
    observed = unsaved[scored].to_numpy()

    # A monthly statement's error: the months' totals, on the site's calendar.
    months = unsaved[scored].index.tz_convert(HOURLY_TIME_ZONE).strftime("%Y-%m")
    whole = pd.Series(months).value_counts()
    whole = months.isin(whole[whole >= MONTH_HOURS].index)
    monthly_observed = pd.Series(observed[whole]).groupby(months[whole]).sum()

    def statistics(predicted):
        predicted = predicted[scored].to_numpy()
        residuals = observed - predicted
        monthly = monthly_observed - pd.Series(predicted[whole]).groupby(months[whole]).sum()
        return (
            np.sqrt((residuals**2).mean()) / observed.mean() * 100,
            residuals.mean() / observed.mean() * 100,
            np.sqrt((monthly**2).mean()) / monthly_observed.mean() * 100,
        )

    fit = report["fit"]
    print(
        f"\nsample {sample}, {days}-day baseline: fitted on {fit['statistics']['observations']} "
        f"hours from {start.date()} to {end.date()}, scored on {scored.sum()} hours from "
        f"{reporting_start.date()} to {reporting_end.date()} (use without the savings) and on "
        f"their {len(monthly_observed)} whole months"
    )
    results = table(rows, statistics, ("CV(RMSE) %", "NMBE %", "monthly CV %"))
    segment = fit["segments"][0]
    print(
        f"ours: {fit['segmentation']}, days {segment['day_types']}, "
        f"{sum(segment['occupied'])} of 168 hours occupied, {fit['statistics']['parameters']} parameters"
    )
    return verdict({name: values[:2] for name, values in results.items()}, [seconds for _, _, seconds in rows])


def main():
    daily = [compare(sample) for sample in SAMPLES]
    hourly = [compare_hourly(sample, days) for days in HOURLY_BASELINE_DAYS for sample in HOURLY_SAMPLES]
    for kind, verdicts in (("daily", daily), ("hourly", hourly)):
        print(
            f"\n{kind}: CV(RMSE) within 1 point on {sum(cv for cv, _ in verdicts)} of "
            f"{len(verdicts)} comparisons, |NMBE| on {sum(bias for _, bias in verdicts)}"
        )
    sys.exit(0 if all(cv for cv, _ in daily + hourly) else 1)


main()
