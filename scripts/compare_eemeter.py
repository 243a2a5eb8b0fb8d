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
from eemeter.eemeter import DailyBaselineData, DailyModel
from eemeter.eemeter.samples import load_sample

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

SAMPLES = [
    "il-electricity-cdd-hdd-daily",
    "il-electricity-cdd-only-daily",
    "il-gas-hdd-only-daily",
    "il-gas-intercept-only-daily",
]
LIMIT_POINTS = 1.0


def guideline14(observed, predicted, parameters):
    """CV(RMSE) and NMBE in %, with n - p degrees of freedom."""
    residuals = observed - predicted
    freedom = len(observed) - parameters
    mean = observed.mean()
    cv_rmse = np.sqrt((residuals**2).sum() / freedom) / mean * 100
    nmbe = residuals.sum() / (freedom * mean) * 100
    return cv_rmse, nmbe


def compare(sample):
    """Fits the three models to `sample`'s baseline year; whether ours is within the limit."""
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
        [os.environ["BRIDGE"], "baseline", "fit", "--csv", csv, "--json", "--allow-insufficient"],
        check=True, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - began
    fit = json.loads(result.stdout)["fit"]
    celsius = (days.temperature.to_numpy() - 32) * 5 / 9
    heating = np.maximum(0, fit["heating_balance"] - celsius) if fit["heating_balance"] is not None else 0
    cooling = np.maximum(0, celsius - fit["cooling_balance"]) if fit["cooling_balance"] is not None else 0
    predicted = (fit["intercept"] + fit["heating_slope"] * heating + fit["cooling_slope"] * cooling) / 1000
    rows.append(("meter-bridge baseline fit (ours)", predicted, seconds))
    # One count of parameters for every model (ours), so the statistics differ only by the
    # models' predictions.
    parameters = fit["statistics"]["parameters"]

    observed = days.observed.to_numpy()
    print(f"\nsample {sample}: {len(days)} baseline days, {start.date()} to {end.date()}")
    print(f"{'model':<38} {'CV(RMSE) %':>11} {'NMBE %':>9} {'fit s':>8}")
    results = {}
    for name, predicted, seconds in rows:
        cv_rmse, nmbe = guideline14(observed, predicted, parameters)
        results[name] = (cv_rmse, nmbe)
        print(f"{name:<38} {cv_rmse:>11.2f} {nmbe:>9.3f} {seconds:>8.3f}")
    print(
        f"ours: {fit['form']}, intercept {fit['intercept'] / 1000:.2f} kWh/day, heating "
        f"{fit['heating_slope'] / 1000:.3f} kWh/K·day below {fit['heating_balance']} °C, cooling "
        f"{fit['cooling_slope'] / 1000:.3f} kWh/K·day above {fit['cooling_balance']} °C "
        f"(the sample was made with balance points 60 °F = 15.6 °C and 65 °F = 18.3 °C)"
    )

    ours = results.pop("meter-bridge baseline fit (ours)")
    best_cv = min(cv for cv, _ in results.values())
    best_nmbe = min(abs(nmbe) for _, nmbe in results.values())
    worse = ours[0] - best_cv > LIMIT_POINTS or abs(ours[1]) - best_nmbe > LIMIT_POINTS
    print(f"within 1 percentage point of the better eemeter model: {'no' if worse else 'yes'}")
    return not worse


def main():
    within = [compare(sample) for sample in SAMPLES]
    print(f"\n{sum(within)} of {len(SAMPLES)} daily samples within 1 point")
    sys.exit(0 if all(within) else 1)


main()
