"""The print icons as PNGs: drawn from the same SVG as the page's icon, and the SVG kept where a shape is not ours."""

import base64
import io

import pytest
from PIL import Image

from core import svg_raster
from indicators import spc, spc_icons

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">{}</svg>'


def picture(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGBA")


def test_an_icon_is_drawn_in_its_colour_at_the_size_asked():
    data = svg_raster.png(str(spc_icons.variation_svg(spc.CONCERN, spc.HIGH)), 96)
    image = picture(data)
    assert data.startswith(b"\x89PNG") and image.size == (96, 96)
    # The ring is orange at the top, the corners outside it are transparent, the middle is white.
    top = image.getpixel((48, 2))
    assert top[3] > 200 and top[0] > 200 and 80 < top[1] < 140 and top[2] < 60, top
    assert image.getpixel((1, 1))[3] == 0
    assert image.getpixel((40, 24))[:3] == (255, 255, 255)


def test_the_letter_is_drawn_where_the_svg_puts_it():
    high = picture(svg_raster.png(str(spc_icons.variation_svg(spc.IMPROVEMENT, spc.HIGH)), 80))
    low = picture(svg_raster.png(str(spc_icons.variation_svg(spc.IMPROVEMENT, spc.LOW)), 80))

    def letter_pixels(image, rows):
        # The letters are dark blue (#005ea5); the dots are light blue or grey.
        return sum(1 for y in rows for x in range(30, 50)
                   if (p := image.getpixel((x, y)))[3] > 200 and p[0] < 40 and 70 < p[1] < 120 and p[2] > 140)

    assert letter_pixels(high, range(56, 70)) > 20 and letter_pixels(high, range(12, 28)) == 0  # H below the dots
    assert letter_pixels(low, range(12, 28)) > 20 and letter_pixels(low, range(56, 70)) == 0  # L above them


def test_every_icon_a_report_prints_can_be_drawn():
    svgs = [spc_icons.variation_svg(v, s) for v, s in spc_icons.VARIATION_WORDS]
    svgs += [spc_icons.assurance_svg(a) for a in (spc.PASS, spc.FAIL, spc.HIT_AND_MISS)]
    pngs = {svg_raster.png(str(svg), 48) for svg in svgs}
    assert len(pngs) == len(svgs)  # each kind looks different


def test_the_same_icon_gives_the_same_bytes():
    """A printed section's key is a hash of its HTML: the same icon must give the same image every time."""
    svg = str(spc_icons.assurance_svg(spc.FAIL))
    assert svg_raster.png(svg, 64) == svg_raster.png(svg, 64)


def test_a_dashed_line_has_gaps():
    image = picture(svg_raster.png(SVG.format('<line x1="0" x2="40" y1="20" y2="20" stroke="#000000" '
                                              'stroke-width="2" stroke-dasharray="4 4"/>'), 40))
    row = [image.getpixel((x, 20))[3] > 128 for x in range(40)]
    assert row[:3] == [True] * 3 and not any(row[5:7]) and all(row[9:11])


@pytest.mark.parametrize("body", [
    '<rect x="0" y="0" width="10" height="10"/>',
    '<path d="M0 0L10 10" stroke="#000" stroke-linecap="round"/>',
    '<polyline points="0,0 10,10" fill="#ff0000" stroke="#000"/>',
    '<text x="20" y="20" font-size="10">left aligned</text>',
])
def test_a_shape_not_drawn_here_keeps_the_svg(body):
    with pytest.raises(svg_raster.Unsupported):
        svg_raster.png(SVG.format(body), 32)
    url = "data:image/svg+xml;base64," + base64.b64encode(SVG.format(body).encode()).decode()
    assert svg_raster.png_data_url(url, 32) == url


def test_a_data_url_of_an_icon_becomes_a_png_data_url():
    url = str(spc_icons.variation_img(spc.COMMON, None)).split('src="')[1].split('"')[0]
    png = svg_raster.png_data_url(url, 32)
    assert png.startswith("data:image/png;base64,")
    assert picture(base64.b64decode(png.split(",", 1)[1])).size == (32, 32)
    assert svg_raster.png_data_url("/static/x.svg", 32) == "/static/x.svg"
    broken = "data:image/svg+xml;base64," + base64.b64encode(b"<svg").decode()
    assert svg_raster.png_data_url(broken, 32) == broken
