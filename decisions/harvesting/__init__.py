"""The harvester: the third door into the import pipeline (docs/architecture.md).

`harvest` walks the LGSCO's decision listings by date window and imports the pages the
archive does not have or that changed; `checking` re-checks stored decisions' pages.
Both go through one polite `client.HarvestClient` (`politeness`: robots.txt, the delay
between requests, the User-Agent), record what they did as a `HarvestRun`, and keep each
decision's life at the source (`source_life`). `listings` reads a listing page;
`windows` cuts the dates into windows and keeps the checkpoints.
"""
