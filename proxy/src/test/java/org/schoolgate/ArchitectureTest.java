package org.schoolgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of STYLE.md, checked on every build: a rule that only a reviewer remembers
 * erodes one convenient import at a time. Main code only; tests may reach anything.
 */
@AnalyzeClasses(packages = "org.schoolgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The policy is pure decisions: no sockets, no Netty, no file format, no admin endpoint. */
  @ArchTest
  static final ArchRule policyIsPure = noClasses().that().resideInAPackage("org.schoolgate.policy..")
      .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.schoolgate.config..", "org.schoolgate.admin..",
          "org.schoolgate.rules..", "org.schoolgate.supervision..", "org.schoolgate.safeguarding..", "org.schoolgate.web..")
      .because("the policy decides from client, host, port and time alone (STYLE.md 1; SPEC section 4)");

  /** Values every layer speaks stay below every layer. */
  @ArchTest
  static final ArchRule valuesNeedOnlyTheJdk = noClasses().that().resideInAPackage("org.schoolgate.values..")
      .should().dependOnClassesThat().resideOutsideOfPackages("java..", "org.schoolgate.values..")
      .because("host names, CIDR blocks and the timetable are used by the policy, which must stay pure");

  /** The proxy asks the policy and reports events; the admin endpoint is built on top of it, not under it. */
  @ArchTest
  static final ArchRule proxyDoesNotReachAdmin = noClasses().that().resideInAPackage("org.schoolgate.proxy..")
      .should().dependOnClassesThat().resideInAnyPackage("org.schoolgate.admin..", "org.schoolgate.rules..",
          "org.schoolgate.supervision..", "org.schoolgate.safeguarding..", "org.schoolgate.web..", "org.schoolgate.cli..")
      .because("the listeners must work (and be tested) without the admin endpoint");

  /**
   * The admin side's web layer (listener, sign-in, routes, console pages) is built on the features
   * (rules, supervision, safeguarding, the shared refusal in admin), never under them: a feature
   * works, and is tested, without HTTP. Only the composition root assembles the web layer.
   */
  @ArchTest
  static final ArchRule webDependsOnFeaturesNeverTheReverse = noClasses()
      .that().resideOutsideOfPackages("org.schoolgate.web..", "org.schoolgate")
      .should().dependOnClassesThat().resideInAPackage("org.schoolgate.web..")
      .because("web depends on the features, never the reverse (issue 22)");

  /** Top-level packages form layers; a cycle between two of them makes both one big package. */
  @ArchTest
  static final ArchRule noCyclesBetweenTopLevelPackages = slices().matching("org.schoolgate.(*)..")
      .should().beFreeOfCycles();
}
