import { adminApiTests } from './e2e/admin-api';
import { chatTests } from './e2e/chat';
import { offboardingTests } from './e2e/offboarding';
import { useE2eSystem } from './e2e/system';
import { tenantAdminTests } from './e2e/tenant-admins';
import { usageTests } from './e2e/usage';

// The whole system end to end: one seeded system for every group (start-up is the expensive part),
// the groups in this order (offboarding deletes tenant3, which the groups before it use).
const system = useE2eSystem();

chatTests(system);
adminApiTests(system);
tenantAdminTests(system);
usageTests(system);
offboardingTests(system);
