//! Unit tests of the HyperLogLog commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines.
