package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request lines as the Vertex AI and Gemini batch documentation shows them pass without a finding.
 */
class DocumentationExamplesTest {

  static List<String> examples() {
    return List.of(
        // Vertex AI "batch prediction from Cloud Storage", the official camelCase example.
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is the relation between the following video and image samples?\"},"
            + "{\"fileData\":{\"fileUri\":\"gs://cloud-samples-data/generative-ai/video/animals.mp4\",\"mimeType\":\"video/mp4\"}},"
            + "{\"fileData\":{\"fileUri\":\"gs://cloud-samples-data/generative-ai/image/cricket.jpeg\",\"mimeType\":\"image/jpeg\"}}]}],"
            + "\"generationConfig\":{\"temperature\":0.9,\"topP\":1,\"maxOutputTokens\":256}}}",
        // The generative-ai notebook: snake_case file_data.
        "{\"request\": {\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Describe what is happening in this image.\"}, "
            + "{\"file_data\": {\"file_uri\": \"gs://cloud-samples-data/generative-ai/image/scones.jpg\", \"mime_type\": \"image/jpeg\"}}]}]}}",
        // A system instruction, snake_case.
        "{\"request\": {\"system_instruction\": {\"parts\": [{\"text\": \"You are a helpful chef. Answer in one paragraph.\"}]}, "
            + "\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"How do I make a quick tomato sauce?\"}]}]}}",
        // Gemini API batch mode: a user key, snake_case generation_config.
        "{\"key\": \"request-1\", \"request\": {\"contents\": [{\"parts\": [{\"text\": \"Describe the process of photosynthesis.\"}]}]}}",
        "{\"key\": \"request-2\", \"request\": {\"contents\": [{\"parts\": [{\"text\": \"What are the main ingredients in a Margherita pizza?\"}]}], "
            + "\"generation_config\": {\"temperature\": 0.7}}}",
        // Chinese prompts.
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"请用三句话介绍长城。\"}]}]}}",
        "{\"key\":\"文档-7\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"总结这段文本：人工智能正在改变世界。\"}]}],"
            + "\"generationConfig\":{\"temperature\":0.2}}}",
        // Controlled generation: responseSchema with responseMimeType application/json.
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"List a few popular cookie recipes.\"}]}],"
            + "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"ARRAY\",\"items\":{\"type\":\"OBJECT\","
            + "\"properties\":{\"recipe_name\":{\"type\":\"STRING\"},\"ingredients\":{\"type\":\"ARRAY\",\"items\":{\"type\":\"STRING\"}}},"
            + "\"required\":[\"recipe_name\"],\"propertyOrdering\":[\"recipe_name\",\"ingredients\"]}}}}}",
        // A multi-turn conversation.
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"Hi! How can I help?\"}]},"
            + "{\"role\":\"user\",\"parts\":[{\"text\":\"Write a haiku about the sea.\"}]}]}}",
        // Function calling.
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is the weather in Boston?\"}]}],"
            + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_current_weather\",\"description\":\"Get the current weather in a given location\","
            + "\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"location\":{\"type\":\"STRING\",\"description\":\"The city name\"}},"
            + "\"required\":[\"location\"]}}]}]}}",
        // Inline data and safety settings.
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"}},"
            + "{\"text\":\"What colour is this pixel?\"}]}],\"safetySettings\":[{\"category\":\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"threshold\":\"BLOCK_ONLY_HIGH\"}]}}");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void documentedLinesPassWithoutFindings(String line) {
    Validated v = Validated.of(line + "\n");

    assertThat(v.report().findings()).isEmpty();
    assertThat(v.report().valid()).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void allExamplesTogetherAreOneConsistentFile() {
    Validated v = Validated.of(String.join("\n", examples()) + "\n");

    assertThat(v.report().findings()).isEmpty();
    assertThat(v.report().rows()).isEqualTo(examples().size());
    assertThat(v.row(4).key()).isEqualTo("request-1");
    assertThat(v.row(7).key()).isEqualTo("文档-7");
    assertThat(v.row(1).key()).isEqualTo("row-1");
  }
}
