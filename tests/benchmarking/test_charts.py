"""The benchmarking dot plot: well-formed, accessible SVG that marks our council by shape and words."""

import re
from decimal import Decimal as D

from defusedxml import ElementTree as ET

from benchmarking.charts import dot_plot, table_rows
from benchmarking.position import position

from .test_position import BAND, BAND_GROUP, GROUP, HIGHER, LOWER

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))


def test_dot_plot_is_labelled_scales_to_320px_and_says_the_figures_in_words():
    svg, text = dot_plot(position(dict(GROUP, X=None), "US", HIGHER), council="Herefordshire",
                         group="Nearest neighbours", unit="%", id_prefix="nn")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "nn-title nn-desc"
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 320 ")
    assert root.find(f"{SVG}title").get("id") == "nn-title"
    assert root.find(f"{SVG}desc").text == text
    assert text == (
        "Figures of the 16 councils in Nearest neighbours with a figure (higher is better), from 41% to 90%. "
        "Herefordshire, marked with a diamond: 82%, ranked 4th of 16, top quartile. Median 76%. "
        "Top quartile: 82% or better; bottom quartile: worse than 70%. 1 council published no figure."
    )


def test_our_council_is_a_diamond_with_a_bold_name_and_the_others_circles():
    svg, _ = dot_plot(position(GROUP, "US", HIGHER), council="Herefordshire", group="Nearest neighbours", unit="%")
    root = parse(svg)
    assert len(root.findall(f"{SVG}circle")) == 15
    diamonds = root.findall(f"{SVG}path")
    assert len(diamonds) == 2  # ours on the plot and in the key
    bold = [t.text for t in root.findall(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert bold == ["Herefordshire", "82%"]
    # Median solid, top quartile dashed, bottom quartile dotted: in the plot and again in the key.
    dashes = sorted(line.get("stroke-dasharray") or "" for line in root.findall(f"{SVG}line") if line.get("stroke") == "#0b0c0c")
    assert dashes == ["", "", "1.5 2.5", "1.5 2.5", "6 3", "6 3"]
    keys = [t.text for t in root.findall(f"{SVG}text")][-4:]
    assert keys == ["Herefordshire (ranked 4th of 16)", "Median 76%", "Top quartile: 82% or better",
                    "Bottom quartile: worse than 70%"]


def test_rows_run_best_first_whichever_way_is_better():
    names = {c: f"Council {c}" for c in GROUP}
    for polarity, first, last in ((HIGHER, "Council A", "Council O"), (LOWER, "Council O", "Council A")):
        svg, _ = dot_plot(position(GROUP, "B", polarity), council="Council B", group="Nearest neighbours", names=names)
        labels = [t.text for t in parse(svg).findall(f"{SVG}text") if t.get("text-anchor") == "end" and t.text.startswith("Council")]
        assert (labels[0], labels[-1]) == (first, last)


def test_band_measure_draws_the_band_not_the_median():
    svg, text = dot_plot(position(BAND_GROUP, "US", BAND), council="Herefordshire", group="Family group", unit="%")
    root = parse(svg)
    assert any(r.get("fill") == "#d2e2f1" for r in root.findall(f"{SVG}rect"))
    assert "Target band 4% to 6%" in text and "Median" not in text
    assert "Target band 4% to 6%" in [t.text for t in root.findall(f"{SVG}text")]


def test_names_are_escaped():
    svg, _ = dot_plot(position({"US": D(1), "A": D(2)}, "US", HIGHER), council="Here & <there>",
                      group="Nearest neighbours", names={"A": "<script>alert(1)</script>"})
    assert "<script>" not in str(svg)
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</…" in texts and "Here & <there> (ranked 2nd of 2)" in texts


def test_a_large_group_shares_one_strip_and_names_only_us():
    values = {f"E{i:03d}": D(i) / 2 for i in range(400)}
    values["US"] = D("30.7")
    svg, text = dot_plot(position(values, "US", LOWER), council="Herefordshire", group="All English councils",
                         unit="days")
    root = parse(svg)
    assert len(root.findall(f"{SVG}circle")) == 400
    assert int(root.get("viewBox").split()[3]) < 250
    assert "Herefordshire 30.7 days" in [t.text for t in root.findall(f"{SVG}text")]
    assert "ranked 63rd of 401" in text


def test_no_figures_says_so():
    svg, text = dot_plot(position({"US": None, "A": None}, "US", HIGHER), council="Herefordshire",
                         group="Nearest neighbours")
    assert "No council published a figure." in str(svg)
    assert text == "Nearest neighbours: no council published a figure."
    assert re.search(r'viewBox="0 0 320 \d+"', str(svg))


def test_table_rows_list_the_chart_best_first_then_the_councils_with_no_figure():
    rows = table_rows(position(dict(GROUP, X=None), "US", HIGHER), council="Herefordshire",
                      names={"A": "Shropshire", "X": "Powys"}, unit="%")
    assert [(r["name"], r["place"], r["figure"], r["quartile"], r["ours"]) for r in rows[:4]] == [
        ("Shropshire", "1st", "90%", "top", False), ("B", "2nd", "88%", "top", False),
        ("C", "3rd", "85%", "top", False), ("Herefordshire", "4th", "82%", "top", True)]
    assert [(r["code"], r["place"], r["quartile"]) for r in rows[7:10]] == [
        ("G", "joint 8th", "upper middle"), ("H", "joint 8th", "upper middle"), ("I", "10th", "lower middle")]
    assert rows[-1] == {"code": "X", "name": "Powys", "value": None, "place": "", "figure": "No figure",
                        "quartile": "", "ours": False}
    assert len(rows) == 17
