"""The team pursuit and the mass start: what they add to the individual distances' machinery.

Each module here plugs into one shared piece (the start list, the service layer, the snapshot)
through one small hook there, so the individual path reads as it did.
"""
