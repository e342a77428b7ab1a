"""Rendering on a Dask cluster: each (clip, language) unit is a task that returns its encoded files to the client."""
