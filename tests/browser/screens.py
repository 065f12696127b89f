"""The two screens every page is tried on: a laptop's and a phone's."""

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
