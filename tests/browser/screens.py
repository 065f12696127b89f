"""The two screens every page is tried on: a laptop's and a phone's; and whether a page
fits its screen."""

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def sideways_scroll(page) -> int:
    """How far the page scrolls sideways, in pixels: more than 0 means it does not fit."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
