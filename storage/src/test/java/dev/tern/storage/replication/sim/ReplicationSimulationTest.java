package dev.tern.storage.replication.sim;

import dev.tern.storage.replication.check.KvModel;
import dev.tern.storage.replication.check.LinearizabilityChecker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Deterministic simulation of KVSvr replication (docs/kvsvr-protocol.md section 12). Each seed is one reproducible
 * world; a failure prints the seed: rerun it alone with -Dtern.sim.seed=N.
 */
class ReplicationSimulationTest
{
    private static final long BASE_SEED = Long.getLong("tern.sim.base.seed", 20261124L);

    @Test
    @Timeout(600)
    void shouldStayLinearizableAndDurableUnderFaultsForDefaultSeeds()
    {
        runSeeds(Integer.getInteger("tern.sim.seeds", 200), 30);
    }

    @Test
    @Tag("slow")
    @Timeout(7200)
    void shouldStayLinearizableAndDurableUnderFaultsForManySeeds()
    {
        runSeeds(Integer.getInteger("tern.sim.many.seeds", 10_000), 40);
    }

    private static void runSeeds(final int seeds, final int opsPerClient)
    {
        final String single = System.getProperty("tern.sim.seed");
        final List<Long> toRun = new ArrayList<>();
        if (null != single)
        {
            toRun.add(Long.parseLong(single));
        }
        else
        {
            for (int i = 0; i < seeds; i++)
            {
                toRun.add(BASE_SEED + i);
            }
        }

        long histories = 0;
        long operations = 0;
        long faults = 0;
        long crashes = 0;
        long partitions = 0;
        long dropped = 0;
        long duplicated = 0;
        long unknown = 0;
        long acknowledged = 0;
        long states = 0;
        long resets = 0;
        long transfers = 0;
        long transferKeys = 0;
        long transferRestarts = 0;
        final long start = System.nanoTime();
        for (final long seed : toRun)
        {
            final ReplicationSimulation simulation = new ReplicationSimulation(seed, opsPerClient);
            final ReplicationSimulation.Outcome outcome = simulation.run();
            if (!outcome.violations().isEmpty())
            {
                fail("seed " + seed + " (rerun: -Dtern.sim.seed=" + seed + "), " + outcome.replicas() +
                    " replicas, faults " + simulation.faults() + ":\n" + String.join("\n", outcome.violations()));
            }
            final LinearizabilityChecker.Result result =
                LinearizabilityChecker.check(outcome.history(), KvModel.INSTANCE, 5_000_000);
            if (!result.linearizable())
            {
                fail("seed " + seed + " (rerun: -Dtern.sim.seed=" + seed + "), faults " + simulation.faults() +
                    ": " + result.describe());
            }
            histories++;
            operations += outcome.history().size();
            faults += simulation.faults().faultCount();
            crashes += outcome.crashes();
            partitions += outcome.partitions();
            dropped += outcome.dropped();
            duplicated += outcome.duplicated();
            unknown += outcome.unknownOutcomes();
            acknowledged += outcome.acknowledgedWrites();
            states += result.statesExplored();
            resets += outcome.totals().streamResets;
            transfers += outcome.totals().stateTransfersCompleted;
            transferKeys += outcome.totals().stateTransferKeys;
            transferRestarts += outcome.totals().stateTransferRestarts;
        }
        System.out.printf(
            "replication simulation: %d histories, %d operations (%d acknowledged writes, %d unknown outcomes), " +
            "%d faults injected (%d crashes, %d partitions, %d messages dropped, %d duplicated), " +
            "%d checker states, %d stream resets, %d state transfers (%d keys installed, %d started over after the author " +
            "restarted), all converged after healing, " +
            "%.1f s%n",
            histories, operations, acknowledged, unknown, faults, crashes, partitions, dropped, duplicated, states,
            resets, transfers, transferKeys, transferRestarts,
            (System.nanoTime() - start) / 1e9);
        assertTrue(histories > 0);
    }
}
