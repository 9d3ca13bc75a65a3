"""How sure is a forecast: Monte Carlo over the scenario's input ranges, Sobol and tornado
sensitivity, and scale-out of big sweeps to a Dask cluster.

Modules, in the order data flows through them:

* :mod:`accord.uncertainty.sampling`: draws of the uncertain inputs and intervals of every
  model's forecast (``add_intervals``), processed in chunks of bounded memory;
* :mod:`accord.uncertainty.distributed`: the same chunks on a local or remote Dask cluster
  (``--dask``), same bytes as one process;
* :mod:`accord.uncertainty.sensitivity`: which inputs move a forecast most (SALib's Sobol
  indices and a one-at-a-time tornado);
* :mod:`accord.uncertainty.cli` and :mod:`accord.uncertainty.bench`: the ``sensitivity``
  command and the Monte Carlo figures of ``accord bench``.

Kept as modules (no re-exports here) so that ``import accord.uncertainty`` stays cheap.
"""
