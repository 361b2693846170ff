"""State changes of the members app, one module per subject (the app outgrew one file):
memberships (the state machine and applications), dues, invitations."""
