"""The window fits the laptop: inside a 1366×768 screen at 100 % and at 150 % scaling, in
both languages, maximised on a laptop-sized screen the first time, its size remembered, and a
minimum small enough to sit beside the factory's records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.geometry import place_window
from ietp_desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("laptop_probe.py")


def _probe(tmp_path: Path, width: int, height: int, scale: str, language: str) -> dict:  # type: ignore[type-arg]
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, str(PROBE), str(tmp_path / "data"), language],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("width", "height", "scale", "language"),
    [
        (1366, 768, "1", "en"),
        (1366, 768, "1", "zh"),
        (1920, 1080, "1.5", "en"),
        (1920, 1080, "1.5", "zh"),
        (1366, 768, "1.5", "zh"),  # a small laptop at 150 %: 911×512 logical pixels
        (1024, 600, "1", "en"),
    ],
)
def test_the_window_fits_the_screen(
    tmp_path: Path, width: int, height: int, scale: str, language: str
) -> None:
    seen = _probe(tmp_path, width, height, scale, language)
    ax, ay, aw, ah = seen["available"]
    x, y, w, h = seen["frame"]
    assert ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah, seen
    assert seen["maximised"]  # a laptop-sized screen: the first opening is maximised
    assert seen["status_bar_inside"]
    assert seen["minimum"][0] <= min(aw, 700) and seen["minimum"][1] <= ah, seen
    assert seen["cut_off"] == [], seen["cut_off"]
    if w >= 1280:  # a normal laptop window: no page needs sideways scrolling
        assert seen["scrolls_sideways"] == [], seen["scrolls_sideways"]


def test_size_and_place_are_remembered(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    place_window(window, db)
    window.show()
    window.resize(760, 560)
    window.close()
    again = MainWindow(db, restore=False)
    qtbot.addWidget(again)
    maximised = place_window(again, db)
    assert not maximised and (again.width(), again.height()) == (760, 560)
