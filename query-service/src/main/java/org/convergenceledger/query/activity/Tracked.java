package org.convergenceledger.query.activity;

import org.convergenceledger.query.projection.Stamp;

/**
 * What the projection keeps of one activity between batches: its current view, the stamp of that version on both
 * time lines, and the number of the footprint segment it is in.
 */
record Tracked(ActivityView view, Stamp stamp, int segment) {
}
