"""What the tests use but do not test: helpers, servers and child processes.

helpers             crafting a decision, fetching a page, searching, zipping
parsed_html         reading a page's HTML by its elements, not its white space
table_snapshot      the samples' import copied out once, into each test (conftest)
harvest_fixtures    pytest plugin: the replay site and quick harvest options
replay_site         the LGSCO's site replayed on loopback for the harvester
smtp_server         pytest plugin: a real SMTP server on loopback for the alerts
fault_server        a PostgreSQL and a web server of a test's own, to break
replication         a primary and its streaming replica (test_read_replicas.py)
replica_probe       a child process of the site on a replica (python -m ...)
older_postgres      a throwaway PostgreSQL of Debian's packages (test_backups.py)
error_urls          the site's URLs and three that fail on purpose
alerts_child        send_alerts dying at a step (python -m ..., test_alerts_reruns.py)
shared_state_child  one web process of test_shared_state.py (python -m ...)
"""
