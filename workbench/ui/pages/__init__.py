"""One page per step of the road, each a ProjectPage over the shared PageContext."""
