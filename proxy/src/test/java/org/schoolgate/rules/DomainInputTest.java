package org.schoolgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.admin.ApiError;

/** What a headteacher pastes as a site to block, where it is a number a browser reads as an address. */
class DomainInputTest {

  @ParameterizedTest
  @ValueSource(strings = {"http://2130706433/", "0x7f.1", "https://127.1/page", "http://0177.0.0.1:8080/x", "0x7f000001"})
  void aNumericHostIsRefusedAsTheIpAddressItIs(String pasted) {
    ApiError e = assertThrows(ApiError.class, () -> DomainInput.normalise(pasted));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("is an IP address"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://1.2.3.4.5/", "999.1", "www.example.123"})
  void aHostEndingInANumberThatIsNoAddressIsNotAWebsiteAddress(String pasted) {
    ApiError e = assertThrows(ApiError.class, () -> DomainInput.normalise(pasted));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("is not a website address"), e.getMessage());
  }
}
