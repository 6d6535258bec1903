/**
 * cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, ...), registered from
 * their own module: the `cdktf` package root loads some 380 modules, which every test file
 * would pay for whether or not it uses cdktf.
 */
import { setupJest } from 'cdktf/lib/testing/adapters/jest';

setupJest();
